//! The secret key file: read (refused when others may read it: the key opens every mailbox
//! password of the installation), or generated and written readable by the owner only.

use anyhow::Context as _;
use postkamer_core::SecretKey;
use std::path::Path;

pub(super) fn load_or_create(path: &Path) -> anyhow::Result<SecretKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            refuse_shared(path)?;
            SecretKey::from_base64(&text).with_context(|| format!("the key in {}", path.display()))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

fn create(path: &Path) -> anyhow::Result<SecretKey> {
    let key = SecretKey::generate().context("generating the secret key")?;
    match crate::private_fs::create_new_file(path) {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, key.to_base64().as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(file = %path.display(), "new secret key written");
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path)?;
            SecretKey::from_base64(&text).context("secret key file")
        }
        Err(err) => Err(err).with_context(|| format!("creating {}", path.display())),
    }
}

/// A key file others can read (or write) is refused.
fn refuse_shared(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            anyhow::bail!(
                "Het sleutelbestand {} is ook voor anderen toegankelijk (rechten {mode:o}); het \
                 opent alle opgeslagen wachtwoorden. Maak het alleen voor de eigenaar leesbaar: \
                 chmod 600 {}",
                path.display(),
                path.display()
            );
        }
    }
    Ok(())
}
