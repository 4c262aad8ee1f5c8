//! Zips a deployment names as a function's code (`filename = "lambda.zip"`, `CodeUri:
//! function.zip`), read in memory: the archive through the bounded reader, then only the members
//! asked for, each under a cap and all of them under a total, so a zip bomb costs at most the
//! caps. Nothing is written to disk and nothing in the archive is run.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::{Refusal, Scope};

/// The largest archive read: Lambda's limit for a zip uploaded directly (50 MB).
pub const ZIP_CAP: u64 = 50 * 1024 * 1024;
/// The most entries an archive may list: far beyond a function's package, and it bounds the
/// listing's memory whatever the archive claims.
pub const ZIP_ENTRY_CAP: usize = 10_000;
/// The most uncompressed bytes read from one archive in all.
pub const ZIP_TOTAL_CAP: u64 = 64 * 1024 * 1024;

/// Why a zip, or a member of it, was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZipRefusal {
    /// Not a zip, truncated, or inconsistent; the reader's words.
    Corrupt(String),
    TooManyEntries {
        entries: usize,
        cap: usize,
    },
    /// A member named with an absolute path or `..`: a path traversal, refused rather than guessed.
    UnsafeName(String),
    Encrypted(String),
    /// Compressed with a method other than stored or deflated.
    Unsupported {
        member: String,
        why: String,
    },
    /// Larger uncompressed than the cap for its purpose (declared, or found while reading).
    MemberTooLarge {
        member: String,
        bytes: u64,
        cap: u64,
    },
    /// Reading the member would take the archive past the total uncompressed cap.
    TotalTooLarge {
        cap: u64,
    },
}

impl std::fmt::Display for ZipRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Corrupt(why) => write!(f, "it is not a readable zip ({why})"),
            Self::TooManyEntries { entries, cap } => {
                write!(f, "the zip lists {entries} entries, over the limit of {cap}")
            }
            Self::UnsafeName(name) => {
                write!(f, "the zip's member {name:?} names a path outside the archive")
            }
            Self::Encrypted(name) => write!(f, "the zip's member {name} is encrypted"),
            Self::Unsupported { member, why } => {
                write!(f, "the zip's member {member} cannot be unpacked ({why})")
            }
            Self::MemberTooLarge { member, bytes, cap } => write!(
                f,
                "the zip's member {member} is {bytes} bytes uncompressed, over the {cap}-byte limit for such a file"
            ),
            Self::TotalTooLarge { cap } => {
                write!(f, "the zip's members unpack to more than the {cap}-byte limit for one archive")
            }
        }
    }
}

/// An archive read into memory, its member names checked.
pub struct Zip {
    path: PathBuf,
    archive: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    /// The files it holds (folders left out), `/`-separated, in archive order.
    names: Vec<String>,
    /// Uncompressed bytes read so far.
    unpacked: u64,
}

impl std::fmt::Debug for Zip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zip").field("path", &self.path).field("names", &self.names).finish_non_exhaustive()
    }
}

/// The zip at `path`, read like any other file (regular, in the scope, at most [`ZIP_CAP`]
/// bytes), with its listing checked: at most [`ZIP_ENTRY_CAP`] entries, none encrypted, none
/// named outside the archive.
pub fn open_zip(path: &Path, scope: &Scope) -> Result<Zip, Refusal> {
    let bytes = super::read_bytes(path, ZIP_CAP, scope)?;
    let corrupt = |e: zip::result::ZipError| Refusal::Zip(ZipRefusal::Corrupt(e.to_string()));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(corrupt)?;
    if archive.len() > ZIP_ENTRY_CAP {
        return Err(Refusal::Zip(ZipRefusal::TooManyEntries { entries: archive.len(), cap: ZIP_ENTRY_CAP }));
    }
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(corrupt)?;
        let name = entry.name().to_owned();
        if entry.enclosed_name().is_none() || name.starts_with('/') || name.contains('\\') {
            return Err(Refusal::Zip(ZipRefusal::UnsafeName(name)));
        }
        if entry.encrypted() {
            return Err(Refusal::Zip(ZipRefusal::Encrypted(name)));
        }
        if !entry.is_dir() {
            names.push(name);
        }
    }
    Ok(Zip { path: path.to_owned(), archive, names, unpacked: 0 })
}

impl Zip {
    /// Where the archive is.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The files the archive holds, `/`-separated.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether the archive holds a file of that name.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Where a member is shown: `lambda.zip!/app.py`, the archive's path, `!/`, the member's name
    /// (the notation of `jar:` URLs, which editors and users recognise as "inside the archive").
    #[must_use]
    pub fn member_path(&self, name: &str) -> PathBuf {
        let mut shown = self.path.clone().into_os_string();
        shown.push("!/");
        shown.push(name);
        PathBuf::from(shown)
    }

    /// The UTF-8 text of member `name`, at most `cap` bytes uncompressed. The size the archive
    /// declares is checked first and the inflated stream is read through a `cap + 1` window, so a
    /// member that lies about its size cannot exceed the cap either.
    pub fn read_text(&mut self, name: &str, cap: u64) -> Result<String, Refusal> {
        let left = ZIP_TOTAL_CAP.saturating_sub(self.unpacked);
        let member = name.to_owned();
        let index = self.archive.index_for_name(name).ok_or(Refusal::Missing)?;
        let mut entry = self.archive.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(why) => {
                Refusal::Zip(ZipRefusal::Unsupported { member: member.clone(), why: why.to_owned() })
            }
            e => Refusal::Zip(ZipRefusal::Corrupt(e.to_string())),
        })?;
        let too_large =
            |bytes| Refusal::Zip(ZipRefusal::MemberTooLarge { member: member.clone(), bytes, cap });
        if entry.size() > cap {
            return Err(too_large(entry.size()));
        }
        if entry.size() > left {
            return Err(Refusal::Zip(ZipRefusal::TotalTooLarge { cap: ZIP_TOTAL_CAP }));
        }
        let window = cap.min(left).saturating_add(1);
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        (&mut entry)
            .take(window)
            .read_to_end(&mut bytes)
            .map_err(|e| Refusal::Zip(ZipRefusal::Corrupt(format!("member {member}: {e}"))))?;
        self.unpacked = self.unpacked.saturating_add(bytes.len() as u64);
        if bytes.len() as u64 > cap {
            return Err(too_large(bytes.len() as u64));
        }
        if bytes.len() as u64 > left {
            return Err(Refusal::Zip(ZipRefusal::TotalTooLarge { cap: ZIP_TOTAL_CAP }));
        }
        super::utf8(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;
    use crate::fsread::CODE_CAP;

    /// A zip of `members`, deflated, written by the `zip` crate.
    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            writer.start_file(*name, options).expect("start member");
            writer.write_all(bytes).expect("write member");
        }
        writer.finish().expect("finish zip").into_inner()
    }

    fn open(bytes: &[u8]) -> Result<Zip, Refusal> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("lambda.zip");
        std::fs::write(&path, bytes).expect("write zip");
        open_zip(&path, &Scope::unrestricted())
    }

    #[test]
    fn members_are_read_in_memory_and_shown_inside_the_archive() {
        let mut zip = open(&zip_of(&[("app.py", b"x = 1\n"), ("lib/util.py", b"y = 2\n")])).expect("a zip");
        assert_eq!(zip.names(), ["app.py", "lib/util.py"]);
        assert_eq!(zip.read_text("lib/util.py", 100).as_deref(), Ok("y = 2\n"));
        assert!(zip.member_path("app.py").to_string_lossy().ends_with("lambda.zip!/app.py"));
        assert_eq!(zip.read_text("nope.py", 100), Err(Refusal::Missing));
    }

    #[test]
    fn every_truncation_and_corruption_is_refused_without_panicking() {
        let whole = zip_of(&[("app.py", "import boto3\n".repeat(40).as_bytes())]);
        for cut in 0..whole.len() {
            if let Ok(mut zip) = open(&whole[..cut]) {
                // A prefix may still list its members (the directory is at the end, so rarely).
                let _ = zip.read_text("app.py", CODE_CAP);
            }
        }
        assert!(matches!(open(&whole[..whole.len() / 2]), Err(Refusal::Zip(ZipRefusal::Corrupt(_)))));
        for at in 0..whole.len() {
            let mut flipped = whole.clone();
            flipped[at] ^= 0x5A;
            if let Ok(mut zip) = open(&flipped) {
                for name in zip.names().to_vec() {
                    let _ = zip.read_text(&name, CODE_CAP);
                }
            }
        }
    }

    #[test]
    fn a_bomb_is_refused_by_its_declared_size_and_by_what_it_inflates_to() {
        let zeros = vec![b' '; 8 * 1024 * 1024];
        let bomb = zip_of(&[("app.py", &zeros)]);
        assert!(bomb.len() < 64 * 1024, "a bomb: {} bytes", bomb.len());
        let mut zip = open(&bomb).expect("a zip");
        assert!(matches!(
            zip.read_text("app.py", CODE_CAP),
            Err(Refusal::Zip(ZipRefusal::MemberTooLarge { bytes, .. })) if bytes == zeros.len() as u64
        ));
        // The same member declaring 16 bytes (local header and central directory): the inflated
        // stream is cut at the cap, whatever the header says.
        let mut lying = bomb;
        let declared = (zeros.len() as u32).to_le_bytes();
        let positions: Vec<usize> =
            lying.windows(4).enumerate().filter(|(_, w)| *w == declared).map(|(i, _)| i).collect();
        assert_eq!(positions.len(), 2, "the size is written in both headers");
        for at in positions {
            lying[at..at + 4].copy_from_slice(&16u32.to_le_bytes());
        }
        match open(&lying) {
            Ok(mut zip) => assert!(zip.read_text("app.py", 1024).is_err()),
            Err(refusal) => assert!(matches!(refusal, Refusal::Zip(_))),
        }
    }

    #[test]
    fn traversal_names_and_huge_listings_are_refused() {
        let traversal = zip_of(&[("../../etc/cron.d/x.py", b"x")]);
        assert!(
            matches!(open(&traversal), Err(Refusal::Zip(ZipRefusal::UnsafeName(n))) if n.starts_with("../"))
        );
        let absolute = zip_of(&[("/tmp/x.py", b"x")]);
        assert!(matches!(open(&absolute), Err(Refusal::Zip(ZipRefusal::UnsafeName(_)))));
        let names: Vec<String> = (0..=ZIP_ENTRY_CAP).map(|i| format!("{i}.py")).collect();
        let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        assert!(matches!(
            open(&zip_of(&many)),
            Err(Refusal::Zip(ZipRefusal::TooManyEntries { entries, .. })) if entries == ZIP_ENTRY_CAP + 1
        ));
    }

    #[test]
    fn the_total_unpacked_is_capped_per_archive() {
        let member = vec![b'#'; 3 * 1024 * 1024];
        let names: Vec<String> = (0..30).map(|i| format!("m{i}.py")).collect();
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), member.as_slice())).collect();
        let mut zip = open(&zip_of(&members)).expect("a zip");
        let results: Vec<_> = names.iter().map(|n| zip.read_text(n, CODE_CAP)).collect();
        assert!(results[0].is_ok());
        assert_eq!(
            results.last(),
            Some(&Err(Refusal::Zip(ZipRefusal::TotalTooLarge { cap: ZIP_TOTAL_CAP })))
        );
    }
}
