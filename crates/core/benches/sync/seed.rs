//! The benchmark's mailbox: realistic, deterministic Dutch office mail written straight into a
//! Maildir (`tmp/` first, then renamed into `cur/` with its flags), which is hundreds of times
//! faster than IMAP APPEND. Dovecot picks the files up at the next SELECT.
//!
//! The mix, from one fixed seed: correspondents from `postkamer-demo` (a few hundred persons at
//! some sixty companies, names with diacritics); bodies of 1–8 KB Dutch text; 60 % text/plain
//! (quoted-printable or 8bit), 30 % multipart/alternative with an HTML part, 10 % multipart/mixed
//! with a base64 attachment of 20–300 KB; RFC 2047 encoded names and subjects (UTF-8 Q and B,
//! ISO-8859-1); a third of the messages answer an earlier one (Re:, In-Reply-To, References);
//! Received and DKIM-Signature headers as a real MX leaves them; dates spread over 2024–2025 in
//! order; 90 % read, some flagged. Files use LF line ends, as Maildir delivery agents write them.

use crate::dutch;
use crate::encode::{address, base64, encode_words, rfc2822};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

#[path = "seed/parts.rs"]
mod parts;

use parts::{alternative, body, mixed, plain, random_bytes};

pub const USER_NAME: &str = "Anna de Vries";
pub const USER_EMAIL: &str = "anna@postkamer-bench.nl";
const SEED: u64 = 2026;
/// 2024-01-01T00:00:00Z, and two years from there.
const START: i64 = 1_704_067_200;
const SPAN: i64 = 2 * 365 * 86_400;
/// Earlier messages a reply may answer.
const HISTORY: usize = 300;

/// What was seeded.
#[derive(Debug, Default)]
pub struct Summary {
    pub messages: usize,
    pub bytes: u64,
    pub correspondents: usize,
    pub html: usize,
    pub attachments: usize,
    pub replies: usize,
    pub unseen: usize,
}

struct Person {
    name: String,
    email: String,
    domain: String,
    company: String,
    job: String,
}

struct Earlier {
    id: String,
    subject: String,
    references: Vec<String>,
    person: usize,
    date: i64,
}

/// Writes `count` messages into `maildir` (which has `tmp/` and `cur/`).
pub fn seed(maildir: &Path, count: usize) -> io::Result<Summary> {
    let people = correspondents();
    let mut rng = Rng(SEED);
    let mut history: Vec<Earlier> = Vec::with_capacity(HISTORY);
    let mut summary = Summary {
        correspondents: people.len(),
        ..Summary::default()
    };
    let slot = (SPAN / i64::try_from(count.max(1)).unwrap_or(1)).max(1);
    for n in 0..count {
        let date = START + i64::try_from(n).unwrap_or(0) * slot + rng.below(slot as usize) as i64;
        let mail = compose(&mut rng, &people, &mut history, n, date);
        summary.html += usize::from(mail.html);
        summary.attachments += usize::from(mail.attachment);
        summary.replies += usize::from(mail.reply);
        let late = n + count / 50 >= count;
        let flags = match rng.below(100) {
            r if r < 8 || (late && r < 50) => "",
            r if r < 13 => "FS",
            _ => "S",
        };
        summary.unseen += usize::from(flags.is_empty());
        let bytes = mail.raw.as_bytes();
        let lines = bytes.iter().filter(|b| **b == b'\n').count();
        // S= is the file size, W= the size with CRLF line ends (what IMAP clients see).
        let base = format!(
            "{date}.M{n}P{SEED}.postkamer-bench,S={},W={}",
            bytes.len(),
            bytes.len() + lines
        );
        let tmp = maildir.join("tmp").join(&base);
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, maildir.join("cur").join(format!("{base}:2,{flags}")))?;
        summary.messages += 1;
        summary.bytes += bytes.len() as u64;
    }
    Ok(summary)
}

/// A short message delivered during the benchmark, dated `now`, with CRLF line ends.
pub fn live_message(subject: &str, now: i64, n: usize) -> Vec<u8> {
    format!(
        "From: Piet Jansen <piet@bakkerij-jansen.nl>\r\nTo: {USER_NAME} <{USER_EMAIL}>\r\n\
         Subject: {subject}\r\nDate: {}\r\nMessage-ID: <live-{now}-{n}@bakkerij-jansen.nl>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\nBeste Anna,\r\n\r\n{}\r\n\r\nGroet,\r\nPiet\r\n",
        rfc2822(now),
        dutch::SENTENCES[n % dutch::SENTENCES.len()]
    )
    .into_bytes()
}

fn correspondents() -> Vec<Person> {
    let data = postkamer_demo::generate(SEED, 60, 320);
    data.persons
        .iter()
        .filter_map(|p| {
            let email = p.input.emails.first()?.address.clone();
            let domain = email.split_once('@')?.1.to_owned();
            let name = [
                &p.input.first_name,
                &p.input.tussenvoegsel,
                &p.input.last_name,
            ]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
            let company = p
                .company
                .and_then(|c| data.companies.get(c))
                .map(|c| c.input.name.clone())
                .unwrap_or_default();
            Some(Person {
                name,
                email,
                domain,
                company,
                job: p.input.job_title.clone(),
            })
        })
        .collect()
}

struct Mail {
    raw: String,
    html: bool,
    attachment: bool,
    reply: bool,
}

fn compose(
    rng: &mut Rng,
    people: &[Person],
    history: &mut Vec<Earlier>,
    n: usize,
    date: i64,
) -> Mail {
    let answered = (!history.is_empty() && rng.below(100) < 35).then(|| rng.below(history.len()));
    let (who, subject, in_reply_to, references) = match answered {
        Some(i) => {
            let e = &history[i];
            let mut refs = e.references.clone();
            refs.push(e.id.clone());
            if refs.len() > 10 {
                refs.drain(1..refs.len() - 9);
            }
            let base = e.subject.trim_start_matches("Re: ");
            (e.person, format!("Re: {base}"), Some(e.id.clone()), refs)
        }
        None => {
            let who = rng.below(people.len());
            let subject = dutch::SUBJECTS[rng.below(dutch::SUBJECTS.len())]
                .replace("{n}", &(1000 + rng.below(9000)).to_string())
                .replace("{c}", &people[who].company);
            (who, subject.trim().to_owned(), None, Vec::new())
        }
    };
    let p = &people[who];
    let id = format!("{:08x}.{n}@{}", rng.next() as u32, p.domain);
    let quoted = answered.map(|i| (rfc2822(history[i].date), &people[history[i].person]));
    let paragraphs = body(rng, p, quoted);

    let mut h = String::with_capacity(2048);
    let hex = |rng: &mut Rng| format!("{:010X}", rng.next() & 0xff_ffff_ffff);
    let _ = write!(
        h,
        "Return-Path: <{email}>\nDelivered-To: {USER_EMAIL}\n\
         Received: from mail.{domain} (mail.{domain} [192.0.2.{ip}])\n\
         \tby mx.postkamer-bench.nl (Postfix) with ESMTPS id {id1}\n\
         \tfor <{USER_EMAIL}>; {d}\n\
         Received: from [10.0.{x}.{y}] (unknown [10.0.{x}.{y}])\n\
         \tby mail.{domain} (Postfix) with ESMTPSA id {id2};\n\t{d}\n\
         DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain};\n\
         \ts=mail; t={date}; h=from:to:subject:date:message-id:mime-version;\n\
         \tbh={bh};\n\tb={sig}\n",
        email = p.email,
        domain = p.domain,
        ip = 1 + rng.below(250),
        id1 = hex(rng),
        id2 = hex(rng),
        x = rng.below(256),
        y = rng.below(256),
        d = rfc2822(date),
        bh = base64(&random_bytes(rng, 32), 0),
        sig = base64(&random_bytes(rng, 256), 70).replace('\n', "\n\t "),
    );
    let _ = write!(
        h,
        "Message-ID: <{id}>\nDate: {}\nFrom: {}\nTo: {}\n",
        rfc2822(date),
        address(rng, &p.name, &p.email),
        address(rng, USER_NAME, USER_EMAIL)
    );
    if rng.below(100) < 20 {
        let cc: Vec<String> = (0..1 + rng.below(3))
            .map(|_| {
                let c = &people[rng.below(people.len())];
                address(rng, &c.name, &c.email)
            })
            .collect();
        let _ = writeln!(h, "Cc: {}", cc.join(",\n "));
    }
    let _ = writeln!(h, "Subject: {}", encode_words(rng, &subject));
    if let Some(parent) = &in_reply_to {
        let refs: Vec<String> = references.iter().map(|r| format!("<{r}>")).collect();
        let _ = write!(
            h,
            "In-Reply-To: <{parent}>\nReferences: {}\n",
            refs.join("\n ")
        );
    }
    let _ = writeln!(
        h,
        "{}\nMIME-Version: 1.0",
        dutch::MAILERS[rng.below(dutch::MAILERS.len())]
    );

    let text = paragraphs.join("\n\n");
    let roll = rng.below(100);
    let (html, attachment) = ((60..90).contains(&roll) || roll >= 95, roll >= 90);
    let mut content = if html {
        alternative(&text, &paragraphs, p, n)
    } else {
        plain(rng, &text)
    };
    if attachment {
        content = mixed(rng, content, n);
    }
    h.push_str(&content);

    history.push(Earlier {
        id,
        subject,
        references,
        person: who,
        date,
    });
    if history.len() > HISTORY {
        history.remove(0);
    }
    Mail {
        raw: h,
        html,
        attachment,
        reply: answered.is_some(),
    }
}

/// splitmix64: small, fast and good enough to pick test data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
