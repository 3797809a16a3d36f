//! `--rebuild` builds the new index aside and switches over at the end, so searches keep
//! the old index until the new one is complete.
//!
//! The new index is built in a folder inside the index folder ([`BUILD_DIR`]) rather than
//! beside it: a rename never crosses file systems that way, and it works when the index
//! folder is a mount point or its parent is read-only. At the end its segment files (with
//! fresh unique names) move into the index folder, then its `meta.json` is renamed over the
//! old one: that rename is the switch, atomic as tantivy's own commits are. Before it,
//! searches read the old `meta.json` and its untouched segments; a crash anywhere leaves the
//! old index whole and a build folder that the next run removes. The index folder's other
//! files (a README, say) stay.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tantivy::directory::{Directory, DirectoryLock, MmapDirectory, INDEX_WRITER_LOCK};

use super::{in_use_message, is_segment_file, MARKER_FILE};

/// The folder inside the index folder where a rebuild writes the new index.
pub const BUILD_DIR: &str = ".newsdex-rebuild";

/// tantivy's list of the files it manages; it must describe the new segments after the switch.
const MANAGED_FILE: &str = ".managed.json";
const META_FILE: &str = "meta.json";

/// The index folder's writer lock, held for a whole run so that no other `index` writes
/// there while a rebuild builds aside.
pub fn lock_index_folder(dir: &Path) -> Result<DirectoryLock> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create index folder {}", dir.display()))?;
    let mmap = MmapDirectory::open(dir)
        .with_context(|| format!("cannot open index folder {}", dir.display()))?;
    mmap.acquire_lock(&INDEX_WRITER_LOCK).map_err(|e| match e {
        tantivy::directory::error::LockError::LockBusy => anyhow::anyhow!(in_use_message(dir)),
        other => anyhow::Error::new(other).context(format!("cannot lock {}", dir.display())),
    })
}

/// A build folder left by a rebuild that was killed. Call it with the writer lock held.
pub fn remove_leftover(dir: &Path) -> Result<()> {
    let build = dir.join(BUILD_DIR);
    match std::fs::remove_dir_all(&build) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", build.display()))
        }
        _ => Ok(()),
    }
}

/// A rebuild in progress: the index folder is locked and the new index grows in `build`.
/// Dropped without [`Aside::switch`], the build folder is removed and the old index stays.
pub struct Aside {
    pub main: PathBuf,
    pub build: PathBuf,
    _lock: DirectoryLock,
    switched: bool,
}

impl Aside {
    pub fn begin(main: &Path) -> Result<Aside> {
        let lock = lock_index_folder(main)?;
        remove_leftover(main)?;
        let build = main.join(BUILD_DIR);
        std::fs::create_dir_all(&build)
            .with_context(|| format!("cannot create {}", build.display()))?;
        Ok(Aside {
            main: main.to_path_buf(),
            build,
            _lock: lock,
            switched: false,
        })
    }

    /// Makes the new index the index. Every writer and reader of the build folder must be
    /// closed first.
    pub fn switch(mut self) -> Result<()> {
        let moved = move_segments(&self.build, &self.main)?;
        for name in [MARKER_FILE, META_FILE, MANAGED_FILE] {
            rename(&self.build.join(name), &self.main.join(name))?;
        }
        self.switched = true;
        sync_dir(&self.main);
        remove_old_segments(&self.main, &moved)?;
        remove_leftover(&self.main)
    }
}

impl Drop for Aside {
    fn drop(&mut self) {
        if !self.switched {
            let _ = std::fs::remove_dir_all(&self.build);
        }
    }
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))
}

/// Moves the new index's segment files next to the old ones; returns their names.
fn move_segments(build: &Path, main: &Path) -> Result<HashSet<String>> {
    let mut moved = HashSet::new();
    for e in std::fs::read_dir(build).with_context(|| format!("cannot list {}", build.display()))? {
        let name = e?.file_name().to_string_lossy().into_owned();
        if is_segment_file(&name) {
            rename(&build.join(&name), &main.join(&name))?;
            moved.insert(name);
        }
    }
    Ok(moved)
}

/// Deletes the old index's segment files once the new `meta.json` is in place. A search
/// that opened the old index keeps reading its files: they are gone only from the folder.
fn remove_old_segments(main: &Path, keep: &HashSet<String>) -> Result<()> {
    for e in std::fs::read_dir(main).with_context(|| format!("cannot list {}", main.display()))? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if is_segment_file(&name) && !keep.contains(&name) && e.file_type()?.is_file() {
            std::fs::remove_file(e.path())
                .with_context(|| format!("cannot remove {}", e.path().display()))?;
        }
    }
    Ok(())
}

/// Makes the renames durable before the old files go. Best effort: not every file system
/// lets a folder be synced.
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abandoned_rebuild_leaves_the_old_files_and_no_build_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path();
        let old_seg = format!("{}.store", "a".repeat(32));
        std::fs::write(main.join(&old_seg), "old").unwrap();
        std::fs::write(main.join(META_FILE), "old meta").unwrap();
        let aside = Aside::begin(main).unwrap();
        std::fs::write(aside.build.join(format!("{}.store", "b".repeat(32))), "new").unwrap();
        drop(aside);
        assert!(!main.join(BUILD_DIR).exists());
        assert_eq!(
            std::fs::read_to_string(main.join(META_FILE)).unwrap(),
            "old meta"
        );
        assert!(main.join(&old_seg).exists());
    }

    #[test]
    fn the_switch_replaces_meta_and_segments_and_keeps_other_files() {
        let tmp = tempfile::tempdir().unwrap();
        let main = tmp.path();
        let old_seg = format!("{}.store", "a".repeat(32));
        let new_seg = format!("{}.store", "b".repeat(32));
        std::fs::write(main.join(&old_seg), "old").unwrap();
        std::fs::write(main.join(META_FILE), "old meta").unwrap();
        std::fs::write(main.join("README.md"), "keep me").unwrap();
        let aside = Aside::begin(main).unwrap();
        for (name, text) in [
            (new_seg.as_str(), "new"),
            (META_FILE, "new meta"),
            (MANAGED_FILE, "[]"),
            (MARKER_FILE, "{}"),
        ] {
            std::fs::write(aside.build.join(name), text).unwrap();
        }
        aside.switch().unwrap();
        assert_eq!(
            std::fs::read_to_string(main.join(META_FILE)).unwrap(),
            "new meta"
        );
        assert!(main.join(&new_seg).exists());
        assert!(!main.join(&old_seg).exists());
        assert!(main.join("README.md").exists());
        assert!(!main.join(BUILD_DIR).exists());
    }
}
