//! Bounds on what an IMAP server may send, checked on the bytes as they arrive, before the IMAP
//! parser buffers them: the parser (async-imap) allocates a literal's whole announced size
//! before reading it and re-parses an unfinished line on every read, so a hostile or broken
//! server could otherwise make it allocate half a gigabyte or spin on an endless line.
//!
//! Outside literals the bytes are lines; the only length-prefixed construct is the literal,
//! announced as `{n}` at the end of a line (quoted strings cannot hold line breaks), so a small
//! lexer can tell literal contents from the rest without parsing IMAP.

/// The longest line outside literals (a SEARCH answer of 25,000 UIDs is ~200 kB).
pub(crate) const MAX_LINE: u64 = 1024 * 1024;

/// What the command in flight may receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Allowance {
    /// The largest literal (a message, a header, a folder name).
    pub max_literal: u64,
    /// All bytes until the next command.
    pub budget: u64,
}

impl Allowance {
    /// Commands that fetch no message bodies: folder lists, flags, searches, headers.
    pub(crate) const COMMAND: Allowance = Allowance {
        max_literal: 4 * 1024 * 1024,
        budget: 64 * 1024 * 1024,
    };
}

/// Why the server's bytes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Overrun {
    /// A literal announced larger than allowed (`announced`: as far as its digits were read).
    #[error("the server announced more than {allowed} bytes where at most that was expected")]
    Literal { announced: u64, allowed: u64 },
    #[error("the server sent a line longer than {max} bytes")]
    Line { max: u64 },
    #[error("the server sent more than {budget} bytes for one command")]
    Budget { budget: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Line,
    /// After `{`, with the digits so far.
    Brace {
        n: u64,
        digits: u8,
    },
    /// After `{n}`.
    Closed(u64),
    /// After `{n}\r`.
    Cr(u64),
    /// Inside a literal, with the bytes still to come.
    Literal(u64),
}

#[derive(Debug, Clone)]
pub(crate) struct Guard {
    allowance: Allowance,
    received: u64,
    line: u64,
    state: State,
}

impl Guard {
    pub(crate) fn new(allowance: Allowance) -> Self {
        Guard {
            allowance,
            received: 0,
            line: 0,
            state: State::Line,
        }
    }

    /// A new command: its allowance, the count starts over. A literal or line in progress
    /// stays what it is.
    pub(crate) fn expect(&mut self, allowance: Allowance) {
        self.allowance = allowance;
        self.received = 0;
    }

    /// Checks the next bytes from the server.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) -> Result<(), Overrun> {
        self.received = self.received.saturating_add(bytes.len() as u64);
        if self.received > self.allowance.budget {
            return Err(Overrun::Budget {
                budget: self.allowance.budget,
            });
        }
        while let Some((&byte, rest)) = bytes.split_first() {
            if let State::Literal(left) = self.state {
                let take = usize::try_from(left).unwrap_or(usize::MAX).min(bytes.len());
                bytes = &bytes[take..];
                let left = left - take as u64;
                self.state = if left == 0 {
                    State::Line
                } else {
                    State::Literal(left)
                };
                continue;
            }
            bytes = rest;
            self.line += 1;
            if byte == b'\n' {
                self.line = 0;
            } else if self.line > MAX_LINE {
                return Err(Overrun::Line { max: MAX_LINE });
            }
            self.state = match (self.state, byte) {
                (State::Brace { n, digits }, b'0'..=b'9') if digits < 20 => {
                    let n = n.saturating_mul(10).saturating_add(u64::from(byte - b'0'));
                    if n > self.allowance.max_literal {
                        return Err(Overrun::Literal {
                            announced: n,
                            allowed: self.allowance.max_literal,
                        });
                    }
                    State::Brace {
                        n,
                        digits: digits + 1,
                    }
                }
                (State::Brace { n, digits }, b'}') if digits > 0 => State::Closed(n),
                (State::Closed(n), b'\r') => State::Cr(n),
                (State::Cr(0), b'\n') => State::Line,
                (State::Cr(n), b'\n') => State::Literal(n),
                (_, b'{') => State::Brace { n: 0, digits: 0 },
                _ => State::Line,
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Allowance = Allowance {
        max_literal: 100,
        budget: 10_000,
    };

    #[test]
    fn literals_are_skipped_and_bounded() {
        let mut guard = Guard::new(SMALL);
        // A literal whose contents look like an announcement of a huge one.
        let body = "{999999}\r\n".repeat(9);
        let fetch = format!("* 1 FETCH (UID 7 BODY[] {{{}}}\r\n{body})\r\n", body.len());
        assert_eq!(guard.feed(fetch.as_bytes()), Ok(()));
        // Split over reads anywhere.
        let mut guard = Guard::new(SMALL);
        for byte in fetch.as_bytes() {
            assert_eq!(guard.feed(std::slice::from_ref(byte)), Ok(()));
        }
        // Refused as soon as the announcement's digits pass the allowance, before the parser
        // could reserve room for it.
        let mut guard = Guard::new(SMALL);
        assert_eq!(
            guard.feed(b"* 1 FETCH (BODY[] {2000000000}\r\n"),
            Err(Overrun::Literal {
                announced: 200,
                allowed: 100
            })
        );
    }

    #[test]
    fn endless_lines_and_floods_are_refused() {
        let mut guard = Guard::new(Allowance {
            max_literal: 100,
            budget: u64::MAX,
        });
        let chunk = vec![b'x'; 64 * 1024];
        let mut result = Ok(());
        for _ in 0..20 {
            result = guard.feed(&chunk);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(Overrun::Line { max: MAX_LINE }));

        let mut guard = Guard::new(SMALL);
        let mut result = Ok(());
        for _ in 0..1000 {
            result = guard.feed(b"* 1 EXISTS\r\n");
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(Overrun::Budget { budget: 10_000 }));
        // The next command starts counting afresh.
        guard.expect(SMALL);
        assert_eq!(guard.feed(b"* OK\r\n"), Ok(()));
    }
}
