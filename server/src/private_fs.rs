//! Files and directories only their owner can read: the SQLite database, `data/`, the secret
//! key (mode 600 files, 700 directories; other systems get their defaults).

use std::fs::File;
use std::path::Path;

/// Creates `dir` and its missing parents with mode 700 (existing ones are left as they are).
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates `path` new (`AlreadyExists` when it is there) with mode 600, and its missing
/// directories with mode 700.
pub fn create_new_file(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
