//! dkimpy, the independent DKIM verifier scripts/lib/smtp.sh provides
//! (`POSTKAMER_TEST_DKIM_VERIFY`: the message on stdin, exit 0 on pass). It looks the key up on
//! the test DNS server.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// What dkimpy says of `message`: `Ok` on pass, its reason on failure.
pub fn dkimpy(message: &[u8]) -> Result<(), String> {
    let command = std::env::var("POSTKAMER_TEST_DKIM_VERIFY").expect(
        "POSTKAMER_TEST_DKIM_VERIFY is not set: run scripts/test.sh (scripts/lib/smtp.sh provides it)",
    );
    let mut child = Command::new(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("dkimpy starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(message)
        .expect("message written");
    let output = child.wait_with_output().expect("dkimpy ends");
    let said = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if output.status.success() && said == "pass" {
        Ok(())
    } else {
        Err(said)
    }
}
