//! A message's parts: the body text of greeting, paragraphs, closing and signature, the plain,
//! alternative and mixed MIME structures, and attachment bytes.

use super::{Person, Rng, USER_NAME};
use crate::dutch;
use crate::encode::{base64, q_word, quoted_printable};
use std::fmt::Write as _;

/// Greeting, 1–8 KB of paragraphs, closing and signature; a quote of the answered message.
pub(super) fn body(rng: &mut Rng, p: &Person, quoted: Option<(String, &Person)>) -> Vec<String> {
    let target = 1024 + rng.below(7168).min(rng.below(7168));
    let anna = USER_NAME.split(' ').next().unwrap_or(USER_NAME);
    let greeting = dutch::GREETINGS[rng.below(dutch::GREETINGS.len())].replace("{f}", anna);
    let mut out = vec![greeting];
    let mut size = 0;
    let own = if quoted.is_some() { target / 2 } else { target };
    while size < own {
        let para = paragraph(rng);
        size += para.len();
        out.push(para);
    }
    out.push(format!(
        "{}\n\n{}\n{}\n{}",
        dutch::CLOSINGS[rng.below(dutch::CLOSINGS.len())],
        p.name,
        p.job,
        p.company
    ));
    if let Some((date, who)) = quoted {
        let mut quote = format!("Op {date} schreef {} <{}>:", who.name, who.email);
        while size < target {
            let para = paragraph(rng);
            size += para.len();
            for line in para.lines() {
                let _ = write!(quote, "\n> {line}");
            }
            quote.push_str("\n>");
        }
        out.push(quote);
    }
    out
}

/// Two to five sentences wrapped at 72 columns, now and then an amount in euros.
fn paragraph(rng: &mut Rng) -> String {
    let mut words: Vec<String> = Vec::new();
    for _ in 0..2 + rng.below(4) {
        let sentence = if rng.below(10) == 0 {
            format!(
                "Het totaalbedrag komt op € {}.{:03},{:02} exclusief btw.",
                1 + rng.below(40),
                rng.below(1000),
                rng.below(100)
            )
        } else {
            dutch::SENTENCES[rng.below(dutch::SENTENCES.len())].to_owned()
        };
        words.extend(sentence.split(' ').map(str::to_owned));
    }
    let mut out = String::new();
    let mut column = 0;
    for word in words {
        if column > 0 && column + 1 + word.chars().count() > 72 {
            out.push('\n');
            column = 0;
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        column += word.chars().count();
        out.push_str(&word);
    }
    out
}

pub(super) fn plain(rng: &mut Rng, text: &str) -> String {
    if text.is_ascii() || rng.below(2) == 0 {
        let cte = if text.is_ascii() { "7bit" } else { "8bit" };
        format!(
            "Content-Type: text/plain; charset=utf-8; format=flowed\n\
             Content-Transfer-Encoding: {cte}\n\n{text}\n"
        )
    } else {
        format!(
            "Content-Type: text/plain; charset=\"utf-8\"\n\
             Content-Transfer-Encoding: quoted-printable\n\n{}\n",
            quoted_printable(text)
        )
    }
}

pub(super) fn alternative(text: &str, paragraphs: &[String], p: &Person, n: usize) -> String {
    let mut html = String::from(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\
         </head><body><div style=\"font-family: Calibri, Arial, sans-serif; font-size: 11pt; \
         color: #1f1f1f\">",
    );
    for para in paragraphs {
        let escaped = para
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\n', "<br>\n");
        let _ = writeln!(html, "<p style=\"margin: 0 0 12px 0\">{escaped}</p>");
    }
    let _ = write!(
        html,
        "<p><b>{}</b><br><a href=\"https://www.{d}/\">www.{d}</a></p></div></body></html>",
        p.company,
        d = p.domain
    );
    format!(
        "Content-Type: multipart/alternative;\n boundary=\"=_alt_{n}\"\n\n\
         This is a multi-part message in MIME format.\n\n\
         --=_alt_{n}\nContent-Type: text/plain; charset=\"utf-8\"\n\
         Content-Transfer-Encoding: quoted-printable\n\n{}\n\
         --=_alt_{n}\nContent-Type: text/html; charset=\"utf-8\"\n\
         Content-Transfer-Encoding: quoted-printable\n\n{}\n--=_alt_{n}--\n",
        quoted_printable(text),
        quoted_printable(&html)
    )
}

/// Wraps `content` (its own headers and body) with an attachment of 20–300 KB.
pub(super) fn mixed(rng: &mut Rng, content: String, n: usize) -> String {
    let (mime, name) = dutch::ATTACHMENTS[rng.below(dutch::ATTACHMENTS.len())];
    let size = 20 * 1024 + rng.below(280 * 1024).min(rng.below(280 * 1024));
    let mut bytes = random_bytes(rng, size);
    if mime == "application/pdf" {
        bytes[..9].copy_from_slice(b"%PDF-1.7\n");
    }
    let names = if name.is_ascii() {
        format!("name=\"{name}\"\nContent-Disposition: attachment; filename=\"{name}\"")
    } else {
        let pct: String = name
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' => char::from(b).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!(
            "name=\"{}\"\nContent-Disposition: attachment;\n filename*=utf-8''{pct}",
            q_word(name)
        )
    };
    format!(
        "Content-Type: multipart/mixed;\n boundary=\"=_mix_{n}\"\n\n\
         --=_mix_{n}\n{content}\n--=_mix_{n}\nContent-Type: {mime};\n {names}\n\
         Content-Transfer-Encoding: base64\n\n{}\n--=_mix_{n}--\n",
        base64(&bytes, 76)
    )
}

pub(super) fn random_bytes(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(n);
    out
}
