//! Sending domains: the DNS records a customer publishes (SPF, DKIM `key001`/`key002`, DMARC), what a
//! check against live DNS found, and how each finding is explained — in Dutch and English, with the
//! fix. The engine (`postkamer-domainauth`) produces these values; the store keeps them as history;
//! the UI, the CLI and the JSON API show them.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// The two DKIM selectors of an installation. Both are published; one signs, the other is ready
/// for a key rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Selector {
    Key001,
    Key002,
}

impl Selector {
    pub const ALL: [Selector; 2] = [Selector::Key001, Selector::Key002];

    pub fn as_str(self) -> &'static str {
        match self {
            Selector::Key001 => "key001",
            Selector::Key002 => "key002",
        }
    }

    pub fn parse(text: &str) -> Option<Selector> {
        Selector::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn other(self) -> Selector {
        match self {
            Selector::Key001 => Selector::Key002,
            Selector::Key002 => Selector::Key001,
        }
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of a domain page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordKind {
    Spf,
    Key001,
    Key002,
    Dmarc,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Spf,
        RecordKind::Key001,
        RecordKind::Key002,
        RecordKind::Dmarc,
    ];

    pub fn dkim(selector: Selector) -> RecordKind {
        match selector {
            Selector::Key001 => RecordKind::Key001,
            Selector::Key002 => RecordKind::Key002,
        }
    }

    pub fn selector(self) -> Option<Selector> {
        match self {
            RecordKind::Key001 => Some(Selector::Key001),
            RecordKind::Key002 => Some(Selector::Key002),
            _ => None,
        }
    }

    /// The name to publish, relative to the domain ("@" for the domain itself).
    pub fn relative_host(self) -> &'static str {
        match self {
            RecordKind::Spf => "@",
            RecordKind::Key001 => "key001._domainkey",
            RecordKind::Key002 => "key002._domainkey",
            RecordKind::Dmarc => "_dmarc",
        }
    }

    /// The fully qualified name of the record for `domain`.
    pub fn host(self, domain: &str) -> String {
        match self {
            RecordKind::Spf => domain.to_owned(),
            other => format!("{}.{domain}", other.relative_host()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Spf => "SPF",
            RecordKind::Key001 => "DKIM key001",
            RecordKind::Key002 => "DKIM key002",
            RecordKind::Dmarc => "DMARC",
        }
    }
}

/// Traffic-light status of a record (and of a whole domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Green: published and correct.
    Ok,
    /// Orange: works, but should be improved.
    Warning,
    /// Red: missing or wrong; mail is not (fully) authenticated.
    Error,
    /// Grey: could not be checked (DNS unreachable) — says nothing about the record.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
            Status::Unknown => "unknown",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::Nl, Status::Ok) => "In orde",
            (Locale::Nl, Status::Warning) => "Aandachtspunt",
            (Locale::Nl, Status::Error) => "Fout ingesteld",
            (Locale::Nl, Status::Unknown) => "Kon niet controleren",
            (Locale::En, Status::Ok) => "Correct",
            (Locale::En, Status::Warning) => "Needs attention",
            (Locale::En, Status::Error) => "Wrong",
            (Locale::En, Status::Unknown) => "Could not check",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Severity {
    /// A note: nothing to fix.
    Info,
    Warning,
    Error,
}

/// What kind of damage a published DKIM value shows compared with ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DkimDamage {
    /// The value stops early: the end was lost when pasting.
    Truncated,
    /// Characters were added after the end of the key.
    ExtraAtEnd,
    /// Characters inside the key differ.
    Changed,
    /// A different, complete key is published (an old one, or another provider's).
    OtherKey,
}

/// One node of the SPF lookup tree: a term that costs a DNS lookup, and what it pulled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupNode {
    /// The term as written (`include:_spf.google.com`, `mx`, `redirect=…`); the root is the domain.
    pub term: String,
    /// DNS lookups this term costs, itself and everything below it.
    pub lookups: u32,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<LookupNode>,
}

impl LookupNode {
    /// The tree as indented lines, for the CLI and the UI.
    pub fn lines(&self) -> Vec<String> {
        fn walk(node: &LookupNode, depth: usize, out: &mut Vec<String>) {
            out.push(format!(
                "{}{} ({})",
                "  ".repeat(depth),
                node.term,
                node.lookups
            ));
            for child in &node.children {
                walk(child, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(self, 0, &mut out);
        out
    }
}

/// One thing a check found. Each variant knows its severity, its explanation and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Finding {
    // ----- the domain -----
    /// The resolver could not be asked (unreachable, timeout, server failure).
    DnsUnavailable {
        detail: String,
    },
    /// NXDOMAIN for the domain itself.
    DomainMissing,
    /// No MX record: replies to mail from this domain cannot be delivered.
    NoMx,

    // ----- SPF -----
    SpfMissing {
        proposal: String,
    },
    SpfMultiple {
        count: usize,
        merged: String,
    },
    SpfIncludeMissing {
        include: String,
        proposal: String,
    },
    SpfIncludeAfterAll {
        include: String,
        proposal: String,
    },
    SpfPassAll {
        proposal: String,
    },
    SpfNeutralAll {
        proposal: String,
    },
    /// Neither an `all` term nor `redirect=`: everything not listed is "neutral".
    SpfNoAll {
        proposal: String,
    },
    /// `redirect=` is used; its target's policy applies.
    SpfRedirect {
        target: String,
    },
    /// `redirect=` next to an `all` term is ignored (RFC 7208 6.1).
    SpfRedirectIgnored {
        target: String,
    },
    SpfTooManyLookups {
        count: u32,
    },
    SpfTooManyVoidLookups {
        count: u32,
        names: Vec<String>,
    },
    SpfSyntax {
        term: String,
    },
    SpfPtr,
    /// An include or redirect target that has no SPF record (PermError for receivers).
    SpfTargetMissing {
        target: String,
    },
    /// Lookups with macros (`%{i}`…) cannot be followed without a message.
    SpfMacro {
        term: String,
    },
    SpfLoop {
        target: String,
    },

    // ----- DKIM -----
    DkimMissing,
    /// The name is a CNAME to `target`, and `target` does not hold our key.
    DkimCname {
        target: String,
    },
    /// The name is a CNAME to a record that does hold our key: fine.
    DkimViaCname {
        target: String,
    },
    DkimMismatch {
        damage: DkimDamage,
        position: usize,
        expected_len: usize,
        found_len: usize,
    },
    /// Spaces or tabs inside the `p=` value.
    DkimSpacesInKey,
    /// CR or LF inside the record.
    DkimLineBreak,
    /// Quote characters are part of the value.
    DkimQuotes,
    /// Split into several TXT records instead of several strings of one record.
    DkimSplitRecords {
        count: usize,
    },
    /// One record of several strings with spaces at the seams.
    DkimSplitSeams {
        strings: usize,
    },
    /// One record of several strings, joined correctly: fine.
    DkimSplitOk {
        strings: usize,
    },
    /// Whitespace between tags, which the DKIM standard allows: fine.
    DkimWhitespaceAllowed,
    DkimWrongKeyType {
        found: String,
    },
    DkimWrongHash {
        found: String,
    },
    DkimKeyTooShort {
        bits: usize,
    },
    DkimRevoked,
    DkimTesting,
    DkimSyntax {
        detail: String,
    },
    DkimMultiple {
        count: usize,
    },

    // ----- DMARC -----
    DmarcMissing {
        proposal: String,
    },
    DmarcMultiple {
        count: usize,
    },
    DmarcSyntax {
        detail: String,
    },
    DmarcPolicyNone {
        proposal: String,
    },
    DmarcNoRua,
    DmarcPct {
        pct: u8,
    },
    DmarcSubdomainNone,
    DmarcSpfNotAligned {
        envelope_domain: String,
    },
}

/// A finding in words: what is wrong (or right) and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub text: String,
    pub fix: Option<String>,
    /// A record value to copy (a proposal), shown with a copy button.
    pub value: Option<String>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        use Finding::*;
        match self {
            DkimViaCname { .. }
            | DkimSplitOk { .. }
            | DkimWhitespaceAllowed
            | SpfRedirect { .. }
            | SpfMacro { .. } => Severity::Info,
            NoMx
            | SpfNeutralAll { .. }
            | SpfNoAll { .. }
            | SpfRedirectIgnored { .. }
            | SpfPtr
            | DkimSpacesInKey
            | DkimTesting
            | DmarcMissing { .. }
            | DmarcPolicyNone { .. }
            | DmarcNoRua
            | DmarcPct { .. }
            | DmarcSubdomainNone
            | DmarcSpfNotAligned { .. } => Severity::Warning,
            DnsUnavailable { .. }
            | DomainMissing
            | SpfMissing { .. }
            | SpfMultiple { .. }
            | SpfIncludeMissing { .. }
            | SpfIncludeAfterAll { .. }
            | SpfPassAll { .. }
            | SpfTooManyLookups { .. }
            | SpfTooManyVoidLookups { .. }
            | SpfSyntax { .. }
            | SpfTargetMissing { .. }
            | SpfLoop { .. }
            | DkimMissing
            | DkimCname { .. }
            | DkimMismatch { .. }
            | DkimLineBreak
            | DkimQuotes
            | DkimSplitRecords { .. }
            | DkimSplitSeams { .. }
            | DkimWrongKeyType { .. }
            | DkimWrongHash { .. }
            | DkimKeyTooShort { .. }
            | DkimRevoked
            | DkimSyntax { .. }
            | DkimMultiple { .. }
            | DmarcMultiple { .. }
            | DmarcSyntax { .. } => Severity::Error,
        }
    }

    /// A stable code for the JSON API and the CLI (`spf_missing`, `dkim_mismatch`, …).
    pub fn code(&self) -> String {
        serde_json_code(self)
    }

    pub fn explain(&self, locale: Locale) -> Explanation {
        match locale {
            Locale::Nl => self.explain_nl(),
            Locale::En => self.explain_en(),
        }
    }

    fn explain_nl(&self) -> Explanation {
        use Finding::*;
        let (text, fix, value): (String, Option<String>, Option<String>) = match self {
            DnsUnavailable { detail } => (
                format!("Kon niet controleren: de DNS-server gaf geen antwoord ({detail}). Dit zegt niets over uw records."),
                Some("Probeer het over enkele minuten opnieuw.".into()),
                None,
            ),
            DomainMissing => (
                "Het domein bestaat niet: de DNS antwoordt dat deze naam niet bestaat (NXDOMAIN).".into(),
                Some("Controleer de spelling van het domein, of registreer het eerst.".into()),
                None,
            ),
            NoMx => (
                "Het domein heeft geen MX-record: antwoorden op uw e-mail kunnen niet worden afgeleverd, en sommige ontvangers wantrouwen zulke afzenders.".into(),
                Some("Laat uw e-mailprovider een MX-record instellen.".into()),
                None,
            ),
            SpfMissing { proposal } => (
                "Er is geen SPF-record: ontvangers weten niet welke servers namens uw domein mogen verzenden.".into(),
                Some("Maak een nieuw TXT-record aan op het domein zelf met deze waarde:".into()),
                Some(proposal.clone()),
            ),
            SpfMultiple { count, merged } => (
                format!("Er zijn {count} SPF-records. Een domein mag er maar één hebben; met meer dan één faalt SPF voor al uw e-mail (PermError)."),
                Some("Verwijder de losse SPF-records en maak er één van, met deze samengevoegde waarde:".into()),
                Some(merged.clone()),
            ),
            SpfIncludeMissing { include, proposal } => (
                format!("Het SPF-record noemt onze servers niet (include:{include} ontbreekt): e-mail die Postkamer voor u verstuurt, faalt op SPF."),
                Some("Pas het bestaande record aan (maak geen tweede): zet include vóór de afsluitende all-term, zoals hier:".into()),
                Some(proposal.clone()),
            ),
            SpfIncludeAfterAll { include, proposal } => (
                format!("include:{include} staat ná de all-term. Ontvangers lezen het record van links naar rechts en stoppen bij all, dus onze servers worden nooit bereikt."),
                Some("Zet de include vóór de all-term:".into()),
                Some(proposal.clone()),
            ),
            SpfPassAll { proposal } => (
                "Het record eindigt op +all: iedere server ter wereld mag dan namens uw domein verzenden. Dat maakt SPF waardeloos.".into(),
                Some("Gebruik -all (of ~all als u nog niet alle verzenders kent):".into()),
                Some(proposal.clone()),
            ),
            SpfNeutralAll { proposal } => (
                "Het record eindigt op ?all (neutraal): e-mail van onbekende servers wordt niet afgekeurd.".into(),
                Some("Gebruik ~all of -all:".into()),
                Some(proposal.clone()),
            ),
            SpfNoAll { proposal } => (
                "Het record heeft geen all-term en geen redirect: voor alle niet genoemde servers is het oordeel neutraal.".into(),
                Some("Sluit het record af met -all (of ~all):".into()),
                Some(proposal.clone()),
            ),
            SpfRedirect { target } => (
                format!("Het record verwijst met redirect= naar {target}; het beleid van dat record geldt."),
                None,
                None,
            ),
            SpfRedirectIgnored { target } => (
                format!("redirect={target} wordt genegeerd, omdat het record ook een all-term heeft."),
                Some("Verwijder de redirect of de all-term, afhankelijk van wat u bedoelt.".into()),
                None,
            ),
            SpfTooManyLookups { count } => (
                format!("Het SPF-record vraagt {count} DNS-opzoekingen (include, a, mx, ptr, exists, redirect — ook in de records waarnaar verwezen wordt). Het maximum is 10; daarboven faalt SPF (PermError)."),
                Some("Verwijder includes die u niet (meer) gebruikt, of vervang a/mx door ip4:/ip6:-adressen. De boom hieronder laat zien waar de opzoekingen vandaan komen.".into()),
                None,
            ),
            SpfTooManyVoidLookups { count, names } => (
                format!("{count} opzoekingen leveren niets op (naam bestaat niet of heeft geen adres): {}. Meer dan 2 zulke lege opzoekingen geeft PermError.", names.join(", ")),
                Some("Verwijder de verwijzingen naar namen die niet (meer) bestaan.".into()),
                None,
            ),
            SpfSyntax { term } => (
                format!("Het SPF-record bevat een ongeldige term: \"{term}\". Ontvangers keuren het hele record af (PermError)."),
                Some("Corrigeer of verwijder deze term.".into()),
                None,
            ),
            SpfPtr => (
                "Het record gebruikt het ptr-mechanisme: traag, onbetrouwbaar en afgeraden (RFC 7208); sommige ontvangers negeren het.".into(),
                Some("Vervang ptr door ip4:/ip6:-adressen of een include.".into()),
                None,
            ),
            SpfTargetMissing { target } => (
                format!("{target} heeft geen SPF-record, maar het record verwijst ernaar. Ontvangers geven dan PermError."),
                Some("Verwijder de verwijzing of corrigeer de naam.".into()),
                None,
            ),
            SpfMacro { term } => (
                format!("{term} gebruikt macro's; die worden pas per bericht ingevuld en konden niet worden gevolgd."),
                None,
                None,
            ),
            SpfLoop { target } => (
                format!("Het record verwijst (via includes of redirect) naar zichzelf terug bij {target}."),
                Some("Verwijder de kringverwijzing.".into()),
                None,
            ),
            DkimMissing => (
                "Het DKIM-record is niet gepubliceerd: de naam bestaat niet of heeft geen TXT-record. Als u het net heeft toegevoegd: DNS-wijzigingen kunnen enkele minuten tot uren duren.".into(),
                Some("Maak een TXT-record aan met de naam en waarde hierboven.".into()),
                None,
            ),
            DkimCname { target } => (
                format!("De naam is een CNAME naar {target}, en daar staat niet onze sleutel."),
                Some("Verwijder de CNAME en maak in plaats daarvan een TXT-record met de waarde hierboven.".into()),
                None,
            ),
            DkimViaCname { target } => (
                format!("Het record staat via een CNAME op {target}; de sleutel klopt."),
                None,
                None,
            ),
            DkimMismatch { damage, position, expected_len, found_len } => (
                match damage {
                    DkimDamage::Truncated => format!("De sleutel is niet volledig geplakt: er ontbreken {} tekens aan het eind (gepubliceerd {found_len} van de {expected_len} tekens).", expected_len.saturating_sub(*found_len)),
                    DkimDamage::ExtraAtEnd => format!("Na de sleutel staan {} extra tekens.", found_len.saturating_sub(*expected_len)),
                    DkimDamage::Changed => format!("De sleutel wijkt af vanaf teken {}: er zijn tekens veranderd, toegevoegd of weggelaten.", position + 1),
                    DkimDamage::OtherKey => "Er staat een andere, volledige sleutel — bijvoorbeeld een oude of die van een andere provider.".into(),
                },
                Some("Vervang de waarde door de waarde hierboven; plak die in één keer, op één regel.".into()),
                None,
            ),
            DkimSpacesInKey => (
                "Er staan spaties in de sleutel. De DKIM-standaard staat dat toe, maar niet elke ontvanger verwerkt het goed.".into(),
                Some("Plak de waarde opnieuw, zonder spaties.".into()),
                None,
            ),
            DkimLineBreak => (
                "Er staat een regeleinde in de waarde: de sleutel is over meerdere regels geplakt.".into(),
                Some("Plak de waarde op één regel, zonder regeleinden.".into()),
                None,
            ),
            DkimQuotes => (
                "Er staan aanhalingstekens in de waarde; die zijn mee geplakt en horen er niet bij.".into(),
                Some("Verwijder de aanhalingstekens.".into()),
                None,
            ),
            DkimSplitRecords { count } => (
                format!("De sleutel is verdeeld over {count} losse TXT-records. Ontvangers lezen maar één record, dus de sleutel is onbruikbaar."),
                Some("Verwijder deze records en maak één TXT-record met de volledige waarde.".into()),
                None,
            ),
            DkimSplitSeams { strings } => (
                format!("Het record is in {strings} stukken opgedeeld, met spaties op de naden; die spaties komen in de sleutel terecht."),
                Some("Plak de waarde in één keer; laat uw DNS-provider eventueel zelf opdelen.".into()),
                None,
            ),
            DkimSplitOk { strings } => (
                format!("Het record is in {strings} tekenreeksen opgedeeld (lange TXT-records moeten dat); samen vormen ze precies de juiste waarde."),
                None,
                None,
            ),
            DkimWhitespaceAllowed => (
                "Er staan spaties tussen de onderdelen van het record; de DKIM-standaard staat dat toe, de sleutel klopt.".into(),
                None,
                None,
            ),
            DkimWrongKeyType { found } => (
                format!("Het sleuteltype is k={found}, maar onze sleutel is RSA (k=rsa)."),
                Some("Gebruik de waarde hierboven.".into()),
                None,
            ),
            DkimWrongHash { found } => (
                format!("Het record staat alleen h={found} toe, maar wij ondertekenen met sha256."),
                Some("Gebruik h=sha256, zoals in de waarde hierboven.".into()),
                None,
            ),
            DkimKeyTooShort { bits } => (
                format!("De gepubliceerde sleutel is {bits} bits; ontvangers weigeren sleutels korter dan 1024 bits."),
                Some("Gebruik de waarde hierboven (2048 bits).".into()),
                None,
            ),
            DkimRevoked => (
                "Het record heeft een lege p=: de sleutel is ingetrokken, handtekeningen worden afgekeurd.".into(),
                Some("Zet de waarde hierboven terug.".into()),
                None,
            ),
            DkimTesting => (
                "Het record staat in testmodus (t=y): ontvangers behandelen mislukte handtekeningen niet als mislukt.".into(),
                Some("Verwijder t=y zodra alles werkt.".into()),
                None,
            ),
            DkimSyntax { detail } => (
                format!("Het record is geen geldig DKIM-record: {detail}."),
                Some("Vervang de waarde door de waarde hierboven.".into()),
                None,
            ),
            DkimMultiple { count } => (
                format!("Er staan {count} verschillende TXT-records op deze naam; ontvangers weten niet welke ze moeten gebruiken."),
                Some("Laat alleen het record met de waarde hierboven staan.".into()),
                None,
            ),
            DmarcMissing { proposal } => (
                "Er is geen DMARC-record. Gmail en Yahoo eisen sinds 2024 DMARC voor wie veel verstuurt, en zonder DMARC kan iedereen uw domein vervalsen.".into(),
                Some("Maak een TXT-record _dmarc aan, bijvoorbeeld:".into()),
                Some(proposal.clone()),
            ),
            DmarcMultiple { count } => (
                format!("Er zijn {count} DMARC-records; ontvangers negeren ze dan allemaal."),
                Some("Laat er één over.".into()),
                None,
            ),
            DmarcSyntax { detail } => (
                format!("Het DMARC-record is ongeldig: {detail}."),
                Some("Corrigeer het record; het moet beginnen met v=DMARC1; p=".into()),
                None,
            ),
            DmarcPolicyNone { proposal } => (
                "Het DMARC-beleid is p=none: ontvangers rapporteren alleen en houden vervalste e-mail niet tegen.".into(),
                Some("Werkt alles (zie de rapporten), ga dan naar quarantine en later reject:".into()),
                Some(proposal.clone()),
            ),
            DmarcNoRua => (
                "Het DMARC-record vraagt geen rapporten (rua= ontbreekt): u ziet niet wie namens uw domein verstuurt.".into(),
                Some("Voeg rua=mailto:<adres> toe.".into()),
                None,
            ),
            DmarcPct { pct } => (
                format!("Het beleid geldt maar voor {pct}% van de e-mail (pct={pct})."),
                Some("Verhoog pct naar 100 (of laat pct weg) zodra alles werkt.".into()),
                None,
            ),
            DmarcSubdomainNone => (
                "Voor subdomeinen geldt sp=none: vervalsers kunnen uitwijken naar een subdomein.".into(),
                Some("Laat sp= weg (dan geldt p=) of gebruik sp=quarantine of sp=reject.".into()),
                None,
            ),
            DmarcSpfNotAligned { envelope_domain } => (
                format!("SPF geldt voor het envelopdomein {envelope_domain}; dat valt niet samen met uw domein, dus DMARC slaagt alleen via DKIM."),
                Some("Zorg dat DKIM actief is; dat is voor DMARC voldoende.".into()),
                None,
            ),
        };
        Explanation { text, fix, value }
    }

    fn explain_en(&self) -> Explanation {
        use Finding::*;
        let (text, fix, value): (String, Option<String>, Option<String>) = match self {
            DnsUnavailable { detail } => (
                format!("Could not check: the DNS server did not answer ({detail}). This says nothing about your records."),
                Some("Try again in a few minutes.".into()),
                None,
            ),
            DomainMissing => ("The domain does not exist (NXDOMAIN).".into(), Some("Check the spelling, or register the domain first.".into()), None),
            NoMx => ("The domain has no MX record: replies to your mail cannot be delivered.".into(), Some("Ask your mail provider to set up an MX record.".into()), None),
            SpfMissing { proposal } => ("There is no SPF record.".into(), Some("Create a TXT record on the domain itself with this value:".into()), Some(proposal.clone())),
            SpfMultiple { count, merged } => (format!("There are {count} SPF records; a domain may have only one, otherwise SPF fails (PermError)."), Some("Replace them by one record with this merged value:".into()), Some(merged.clone())),
            SpfIncludeMissing { include, proposal } => (format!("The SPF record does not include our servers (include:{include} is missing)."), Some("Edit the existing record (do not add a second one), with include before the closing all term:".into()), Some(proposal.clone())),
            SpfIncludeAfterAll { include, proposal } => (format!("include:{include} comes after the all term, so it is never reached."), Some("Move it before the all term:".into()), Some(proposal.clone())),
            SpfPassAll { proposal } => ("The record ends in +all: any server may send as your domain.".into(), Some("Use -all (or ~all):".into()), Some(proposal.clone())),
            SpfNeutralAll { proposal } => ("The record ends in ?all (neutral): mail from unknown servers is not rejected.".into(), Some("Use ~all or -all:".into()), Some(proposal.clone())),
            SpfNoAll { proposal } => ("The record has neither an all term nor a redirect.".into(), Some("End the record with -all (or ~all):".into()), Some(proposal.clone())),
            SpfRedirect { target } => (format!("The record redirects to {target}; that record's policy applies."), None, None),
            SpfRedirectIgnored { target } => (format!("redirect={target} is ignored because the record also has an all term."), Some("Remove either the redirect or the all term.".into()), None),
            SpfTooManyLookups { count } => (format!("The SPF record needs {count} DNS lookups (counted through includes and redirects); the limit is 10, above it SPF fails (PermError)."), Some("Remove unused includes or replace a/mx by ip4:/ip6: addresses. The tree below shows where the lookups come from.".into()), None),
            SpfTooManyVoidLookups { count, names } => (format!("{count} lookups return nothing: {}. More than 2 such void lookups is a PermError.", names.join(", ")), Some("Remove references to names that no longer exist.".into()), None),
            SpfSyntax { term } => (format!("The SPF record contains an invalid term: \"{term}\" (PermError)."), Some("Fix or remove this term.".into()), None),
            SpfPtr => ("The record uses the ptr mechanism, which is slow, unreliable and discouraged (RFC 7208).".into(), Some("Replace ptr by ip4:/ip6: addresses or an include.".into()), None),
            SpfTargetMissing { target } => (format!("{target} has no SPF record but is referenced (PermError)."), Some("Remove or correct the reference.".into()), None),
            SpfMacro { term } => (format!("{term} uses macros, which are filled in per message and could not be followed."), None, None),
            SpfLoop { target } => (format!("The record refers back to itself at {target}."), Some("Remove the loop.".into()), None),
            DkimMissing => ("The DKIM record is not published (no such name, or no TXT record). DNS changes can take minutes to hours.".into(), Some("Create a TXT record with the name and value above.".into()), None),
            DkimCname { target } => (format!("The name is a CNAME to {target}, which does not hold our key."), Some("Replace the CNAME by a TXT record with the value above.".into()), None),
            DkimViaCname { target } => (format!("The record is published through a CNAME at {target}; the key matches."), None, None),
            DkimMismatch { damage, position, expected_len, found_len } => (
                match damage {
                    DkimDamage::Truncated => format!("The key was not pasted completely: {} characters are missing at the end ({found_len} of {expected_len}).", expected_len.saturating_sub(*found_len)),
                    DkimDamage::ExtraAtEnd => format!("There are {} extra characters after the key.", found_len.saturating_sub(*expected_len)),
                    DkimDamage::Changed => format!("The key differs from character {} on: characters were changed, added or left out.", position + 1),
                    DkimDamage::OtherKey => "A different, complete key is published (an old one, or another provider's).".into(),
                },
                Some("Replace the value by the value above, pasted at once, on one line.".into()),
                None,
            ),
            DkimSpacesInKey => ("There are spaces inside the key. The DKIM standard allows it, but not every receiver copes.".into(), Some("Paste the value again, without spaces.".into()), None),
            DkimLineBreak => ("There is a line break in the value.".into(), Some("Paste the value on one line.".into()), None),
            DkimQuotes => ("Quote characters were pasted into the value.".into(), Some("Remove the quotes.".into()), None),
            DkimSplitRecords { count } => (format!("The key is spread over {count} separate TXT records; receivers read only one."), Some("Replace them by one TXT record with the whole value.".into()), None),
            DkimSplitSeams { strings } => (format!("The record is split into {strings} strings with spaces at the seams, which end up inside the key."), Some("Paste the value at once.".into()), None),
            DkimSplitOk { strings } => (format!("The record is split into {strings} strings (long TXT records must be); together they form exactly the right value."), None, None),
            DkimWhitespaceAllowed => ("There are spaces between the record's tags, which the DKIM standard allows; the key matches.".into(), None, None),
            DkimWrongKeyType { found } => (format!("The key type is k={found}, but our key is RSA (k=rsa)."), Some("Use the value above.".into()), None),
            DkimWrongHash { found } => (format!("The record only allows h={found}, but we sign with sha256."), Some("Use h=sha256 as in the value above.".into()), None),
            DkimKeyTooShort { bits } => (format!("The published key has {bits} bits; receivers refuse keys shorter than 1024 bits."), Some("Use the value above (2048 bits).".into()), None),
            DkimRevoked => ("The record has an empty p=: the key is revoked.".into(), Some("Restore the value above.".into()), None),
            DkimTesting => ("The record is in testing mode (t=y).".into(), Some("Remove t=y once everything works.".into()), None),
            DkimSyntax { detail } => (format!("The record is not a valid DKIM record: {detail}."), Some("Replace it by the value above.".into()), None),
            DkimMultiple { count } => (format!("There are {count} different TXT records at this name."), Some("Keep only the record with the value above.".into()), None),
            DmarcMissing { proposal } => ("There is no DMARC record; Gmail and Yahoo require one for bulk senders since 2024.".into(), Some("Create a TXT record _dmarc, for example:".into()), Some(proposal.clone())),
            DmarcMultiple { count } => (format!("There are {count} DMARC records; receivers then ignore all of them."), Some("Keep one.".into()), None),
            DmarcSyntax { detail } => (format!("The DMARC record is invalid: {detail}."), Some("Fix it; it must start with v=DMARC1; p=".into()), None),
            DmarcPolicyNone { proposal } => ("The DMARC policy is p=none: forged mail is reported, not stopped.".into(), Some("Once the reports look right, move to quarantine, later reject:".into()), Some(proposal.clone())),
            DmarcNoRua => ("The DMARC record asks for no reports (rua= is missing).".into(), Some("Add rua=mailto:<address>.".into()), None),
            DmarcPct { pct } => (format!("The policy applies to only {pct}% of the mail."), Some("Raise pct to 100 (or leave it out).".into()), None),
            DmarcSubdomainNone => ("Subdomains have sp=none, so forgers can use a subdomain.".into(), Some("Leave sp= out or use quarantine/reject.".into()), None),
            DmarcSpfNotAligned { envelope_domain } => (format!("SPF applies to the envelope domain {envelope_domain}, which does not align with your domain; DMARC passes through DKIM only."), Some("Make sure DKIM is active.".into()), None),
        };
        Explanation { text, fix, value }
    }
}

fn serde_json_code(finding: &Finding) -> String {
    // The serde tag, without pulling serde_json into the browser bundle: the Debug name of the
    // variant in snake_case is the same string.
    let debug = format!("{finding:?}");
    let name = debug.split([' ', '{', '(']).next().unwrap_or_default();
    let mut code = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

/// One row of a domain page as a check left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCheck {
    pub kind: RecordKind,
    /// The fully qualified name that was asked.
    pub host: String,
    /// The records found there (TXT strings of one record separated by `" "` as DNS tools show them).
    pub found: Vec<String>,
    pub status: Status,
    pub findings: Vec<Finding>,
    /// SPF only: the terms that cost DNS lookups.
    pub lookup_tree: Option<LookupNode>,
}

impl RecordCheck {
    /// Status from the findings: the worst severity, unless the DNS could not be asked.
    pub fn status_of(findings: &[Finding]) -> Status {
        if findings
            .iter()
            .any(|f| matches!(f, Finding::DnsUnavailable { .. }))
        {
            return Status::Unknown;
        }
        match findings.iter().map(Finding::severity).max() {
            Some(Severity::Error) => Status::Error,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Ok,
        }
    }
}

/// Everything one check of one domain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainReport {
    pub domain: String,
    /// Unix milliseconds.
    pub checked_at: i64,
    /// About the domain as a whole: does it exist, MX, was DNS reachable.
    pub findings: Vec<Finding>,
    pub mx: Vec<String>,
    pub records: Vec<RecordCheck>,
}

impl DomainReport {
    pub fn record(&self, kind: RecordKind) -> Option<&RecordCheck> {
        self.records.iter().find(|r| r.kind == kind)
    }

    /// Could every record be asked?
    pub fn complete(&self) -> bool {
        self.records.iter().all(|r| r.status != Status::Unknown)
            && !self
                .findings
                .iter()
                .any(|f| matches!(f, Finding::DnsUnavailable { .. }))
    }

    /// Does the published record for `selector` hold our key (green or orange)?
    pub fn dkim_verified(&self, selector: Selector) -> bool {
        self.record(RecordKind::dkim(selector))
            .is_some_and(|r| matches!(r.status, Status::Ok | Status::Warning))
    }

    /// The overall status: the worst of the rows and the domain findings.
    pub fn status(&self) -> Status {
        if !self.complete() {
            return Status::Unknown;
        }
        let rows = self.records.iter().map(|r| r.status);
        let own = RecordCheck::status_of(&self.findings);
        rows.chain([own]).max().unwrap_or(Status::Ok)
    }

    /// Number of findings that need action (warnings and errors), all rows together.
    pub fn problems(&self) -> usize {
        self.findings
            .iter()
            .chain(self.records.iter().flat_map(|r| &r.findings))
            .filter(|f| f.severity() > Severity::Info)
            .count()
    }
}

/// A record to publish: where, and the exact value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRecord {
    pub kind: RecordKind,
    /// Always TXT.
    pub record_type: String,
    /// Fully qualified (`key001._domainkey.voorbeeld.nl`).
    pub host: String,
    /// Relative to the domain (`key001._domainkey`, `@` for the domain itself), for DNS
    /// providers that add the domain themselves.
    pub relative_host: String,
    pub value: String,
}

/// Where a sending domain stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DomainState {
    /// Added; not both DKIM keys verified yet. Re-checked hourly.
    Pending,
    /// Both keys verified once: mail from this domain is signed. Re-checked daily.
    Active,
    /// Was active, but the signing key's record no longer verifies. Mail is not signed.
    Broken,
}

impl DomainState {
    pub fn as_str(self) -> &'static str {
        match self {
            DomainState::Pending => "pending",
            DomainState::Active => "active",
            DomainState::Broken => "broken",
        }
    }

    pub fn parse(text: &str) -> Option<DomainState> {
        match text {
            "pending" => Some(DomainState::Pending),
            "active" => Some(DomainState::Active),
            "broken" => Some(DomainState::Broken),
            _ => None,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match (locale, self) {
            (Locale::Nl, DomainState::Pending) => "In afwachting",
            (Locale::Nl, DomainState::Active) => "DKIM actief",
            (Locale::Nl, DomainState::Broken) => "DKIM defect",
            (Locale::En, DomainState::Pending) => "Pending",
            (Locale::En, DomainState::Active) => "DKIM active",
            (Locale::En, DomainState::Broken) => "DKIM broken",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_the_serde_tag() {
        let findings = [
            Finding::DomainMissing,
            Finding::SpfTooManyLookups { count: 11 },
            Finding::DkimMismatch {
                damage: DkimDamage::Truncated,
                position: 3,
                expected_len: 10,
                found_len: 3,
            },
        ];
        for finding in findings {
            let json = serde_json::to_value(&finding).unwrap();
            assert_eq!(json["code"], finding.code());
        }
    }

    #[test]
    fn status_is_the_worst_severity_and_unknown_wins() {
        assert_eq!(RecordCheck::status_of(&[]), Status::Ok);
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimSplitOk { strings: 2 }]),
            Status::Ok
        );
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimTesting, Finding::DkimSplitOk { strings: 2 }]),
            Status::Warning
        );
        assert_eq!(
            RecordCheck::status_of(&[Finding::DkimTesting, Finding::DkimRevoked]),
            Status::Error
        );
        assert_eq!(
            RecordCheck::status_of(&[
                Finding::DkimRevoked,
                Finding::DnsUnavailable { detail: "x".into() }
            ]),
            Status::Unknown
        );
    }

    #[test]
    fn every_finding_is_explained_in_both_languages() {
        let finding = Finding::SpfMissing {
            proposal: "v=spf1 include:spf.example -all".into(),
        };
        for locale in Locale::ALL {
            let e = finding.explain(locale);
            assert!(!e.text.is_empty());
            assert_eq!(e.value.as_deref(), Some("v=spf1 include:spf.example -all"));
        }
    }
}

/// A sending domain in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainSummary {
    pub id: crate::SendingDomainId,
    pub domain: String,
    pub state: DomainState,
    /// The selector mail from this domain is signed with.
    pub signing_selector: Selector,
    /// Status of the latest complete check; `None` before the first.
    pub status: Option<Status>,
    /// Unix milliseconds.
    pub last_checked_at: Option<i64>,
    pub activated_at: Option<i64>,
}

/// One row of a domain page: what to publish, and what the latest check found there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordView {
    pub publish: PublishRecord,
    pub check: Option<RecordCheck>,
}

/// One entry of a domain's check history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// Unix milliseconds.
    pub checked_at: i64,
    pub status: Status,
    /// `added`, `manual` or `scheduled`.
    pub reason: String,
    pub problems: usize,
}

/// Everything the domain page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainView {
    pub summary: DomainSummary,
    pub records: Vec<RecordView>,
    /// About the domain as a whole (does it exist, MX, DNS reachable) from the latest check.
    pub findings: Vec<Finding>,
    pub mx: Vec<String>,
    /// The selectors whose key is this domain's own (generated for a rotation).
    pub own_keys: Vec<Selector>,
    /// The selector the signing could switch to now (its record verifies), if any.
    pub can_switch_to: Option<Selector>,
    pub history: Vec<HistoryEntry>,
}
