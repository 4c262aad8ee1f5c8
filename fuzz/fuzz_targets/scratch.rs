//! A scratch folder for the targets that go through the file system: one per fuzzing process,
//! emptied before every input, so a run never accumulates files and an input sees only its own.
//! libFuzzer ends a process with `exit`, which runs no destructors: folders left by processes that
//! have ended are removed when the next one starts.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const PREFIX: &str = "sagelint-fuzz-";

/// The process's scratch folder (`$TMPDIR/sagelint-fuzz-<target>-<pid>`), now empty.
pub fn fresh(target: &str) -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let base = std::env::temp_dir();
        remove_stale(&base);
        base.join(format!("{PREFIX}{target}-{}", std::process::id()))
    });
    empty(dir);
    dir
}

/// Removes everything in `dir` (symlinks themselves, never what they point to) and recreates it.
pub fn empty(dir: &Path) {
    if let Err(e) = std::fs::remove_dir_all(dir) {
        assert!(e.kind() == std::io::ErrorKind::NotFound, "cannot empty {}: {e}", dir.display());
    }
    std::fs::create_dir_all(dir).expect("scratch folder");
}

/// Removes the scratch folders of processes that no longer run.
fn remove_stale(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else { continue };
        let Some(pid) = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes `bytes` at `dir/rel`, creating folders; a symlink already there is replaced, never
/// written through. Fails quietly where the input made that impossible (a folder component that
/// is a file or a link to a device).
pub fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Option<PathBuf> {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent()?).ok()?;
    let _ = std::fs::remove_file(&path);
    std::fs::write(&path, bytes).ok()?;
    Some(path)
}
