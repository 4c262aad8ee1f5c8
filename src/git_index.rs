//! Which files a git repository tracks, read from its index (`.git/index`) without running git.
//!
//! An ignore file does not apply to a tracked file: "A gitignore file specifies intentionally
//! untracked files that Git should ignore. Files already tracked by Git are not affected"
//! (<https://git-scm.com/docs/gitignore>). A `terraform.tfvars` committed with `git add -f` is in
//! every checkout, and Terraform loads it, so the walk must not drop it for matching `.gitignore`.
//!
//! Format: <https://git-scm.com/docs/index-format> (versions 2, 3 and 4). Anything else, or an
//! index that does not parse, reads as "not known" (`None`), and the caller keeps what the ignore
//! files say.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The paths the repository at `repo` (the folder holding `.git`) tracks, relative to it; `None`
/// when its index cannot be read (no `.git` folder, a worktree's `.git` file, another version).
#[must_use]
pub(crate) fn tracked(repo: &Path, scope: &crate::fsread::Scope) -> Option<HashSet<PathBuf>> {
    let bytes = crate::fsread::read_bytes(&repo.join(".git").join("index"), INDEX_CAP, scope).ok()?;
    parse(&bytes)
}

/// The largest index read: the index of a repository of a million files is about 100 MiB.
const INDEX_CAP: u64 = 128 * 1024 * 1024;

/// The fixed part of an entry before its flags: ctime, mtime (8 bytes each), dev, ino, mode, uid,
/// gid, size (4 each) and the object name (20 bytes, SHA-1).
const FIXED: usize = 8 + 8 + 6 * 4 + 20;

fn parse(bytes: &[u8]) -> Option<HashSet<PathBuf>> {
    let header = bytes.get(..12)?;
    if &header[..4] != b"DIRC" {
        return None;
    }
    let version = u32::from_be_bytes(header[4..8].try_into().ok()?);
    let count = u32::from_be_bytes(header[8..12].try_into().ok()?) as usize;
    if !(2..=4).contains(&version) {
        return None;
    }
    let mut at = 12;
    let mut paths = HashSet::with_capacity(count.min(bytes.len() / (FIXED + 2)));
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        let flags = u16::from_be_bytes(bytes.get(start + FIXED..start + FIXED + 2)?.try_into().ok()?);
        at = start + FIXED + 2;
        // Version 3 and later: an extended flags word follows when the flags say so.
        if version >= 3 && flags & 0x4000 != 0 {
            at += 2;
        }
        let path = if version == 4 {
            // The path is the previous one less its last `strip` bytes, then the written suffix.
            let (strip, used) = varint(bytes.get(at..)?)?;
            at += used;
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(strip)?;
            previous.truncate(keep);
            previous.extend_from_slice(&bytes[at..end]);
            at = end + 1;
            previous.clone()
        } else {
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let path = bytes[at..end].to_vec();
            // Entries are padded with 1 to 8 NUL bytes to a multiple of eight.
            let length = end - start;
            at = start + (length + 8) / 8 * 8;
            path
        };
        paths.insert(PathBuf::from(String::from_utf8(path).ok()?));
    }
    Some(paths)
}

/// Git's offset encoding (`varint.c`): seven bits a byte, most significant first, with one added
/// at each continuation. The value and the bytes it took.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value: usize = 0;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= usize::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{parse, varint};
    use std::path::PathBuf;

    fn entry_v2(path: &str) -> Vec<u8> {
        let mut e = vec![0u8; super::FIXED];
        let flags = u16::try_from(path.len()).expect("short path");
        e.extend_from_slice(&flags.to_be_bytes());
        e.extend_from_slice(path.as_bytes());
        let length = e.len();
        e.resize((length + 8) / 8 * 8, 0);
        e
    }

    fn index(version: u32, entries: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"DIRC".to_vec();
        out.extend_from_slice(&version.to_be_bytes());
        out.extend_from_slice(&u32::try_from(entries.len()).expect("few").to_be_bytes());
        for e in entries {
            out.extend_from_slice(e);
        }
        out.extend_from_slice(&[0u8; 20]);
        out
    }

    #[test]
    fn version_2_entries_are_padded_to_eight_bytes() {
        let bytes = index(2, &[entry_v2("main.tf"), entry_v2("envs/dev/terraform.tfvars")]);
        let paths = parse(&bytes).expect("parses");
        assert!(paths.contains(&PathBuf::from("envs/dev/terraform.tfvars")));
        assert!(paths.contains(&PathBuf::from("main.tf")));
        assert_eq!(paths.len(), 2);
    }

    #[test]
    fn version_4_paths_are_prefix_compressed() {
        let entry = |strip: u8, suffix: &str| {
            let mut e = vec![0u8; super::FIXED];
            e.extend_from_slice(&u16::try_from(suffix.len()).expect("short").to_be_bytes());
            e.push(strip);
            e.extend_from_slice(suffix.as_bytes());
            e.push(0);
            e
        };
        // "envs/dev/main.tf", then "envs/dev/terraform.tfvars" (strip "main.tf", 7 bytes).
        let bytes = index(4, &[entry(0, "envs/dev/main.tf"), entry(7, "terraform.tfvars")]);
        let paths = parse(&bytes).expect("parses");
        assert!(paths.contains(&PathBuf::from("envs/dev/terraform.tfvars")), "{paths:?}");
    }

    #[test]
    fn what_is_not_an_index_is_not_known() {
        assert!(parse(b"").is_none());
        assert!(parse(b"DIRC\0\0\0\x05\0\0\0\0").is_none(), "version 5");
        // One entry announced, none written.
        assert!(parse(b"DIRC\0\0\0\x02\0\0\0\x01").is_none());
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x05]), Some((5, 1)));
    }
}
