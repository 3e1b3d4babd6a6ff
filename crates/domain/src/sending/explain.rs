//! Every finding in words, Dutch and English: what is wrong (or right), the fix, and a value to
//! copy where there is one.

use super::{DkimDamage, Explanation, Finding};

impl Finding {
    pub(super) fn explain_nl(&self) -> Explanation {
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
            OwnershipMissing { proposal } => (
                "De verificatiecode van uw organisatie ontbreekt. De DKIM-sleutels zijn voor alle klanten van deze Postkamer-installatie gelijk; pas met deze code is zeker dat het domein van u is. Zonder code wordt DKIM niet actief.".into(),
                Some("Maak een TXT-record aan op _postkamer met deze waarde:".into()),
                Some(proposal.clone()),
            ),
            OwnershipOther { found, proposal } => (
                format!("Op _postkamer {} een andere verificatiecode dan die van uw organisatie (van een andere organisatie, of een oude). Daarmee is niet aangetoond dat het domein van u is.", if *found == 1 { "staat".to_owned() } else { format!("staan {found} records met") }),
                Some("Voeg een TXT-record toe op _postkamer met de code van uw organisatie (of vervang de oude):".into()),
                Some(proposal.clone()),
            ),
            DomainHeldElsewhere => (
                "Dit domein is actief in een andere organisatie van deze Postkamer-installatie. Een domein is in één organisatie tegelijk actief.".into(),
                Some("Laat de andere organisatie het domein verwijderen, of haal haar verificatiecode weg uit de DNS (alleen die van u laten staan); bij de volgende controle wordt het domein dan hier actief.".into()),
                None,
            ),
        };
        Explanation { text, fix, value }
    }

    pub(super) fn explain_en(&self) -> Explanation {
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
            OwnershipMissing { proposal } => ("Your organisation's verification token is missing. The DKIM keys are the same for every customer of this Postkamer installation; only this token proves the domain is yours. Without it DKIM does not become active.".into(), Some("Create a TXT record at _postkamer with this value:".into()), Some(proposal.clone())),
            OwnershipOther { found, proposal } => (format!("_postkamer holds {found} verification token(s), none of them your organisation's (another organisation's, or an old one). That does not prove the domain is yours."), Some("Add a TXT record at _postkamer with your organisation's token (or replace the old one):".into()), Some(proposal.clone())),
            DomainHeldElsewhere => ("This domain is active in another organisation of this Postkamer installation. A domain is active in one organisation at a time.".into(), Some("Have the other organisation delete the domain, or remove its verification token from DNS (keep only yours); the next check then activates the domain here.".into()), None),
        };
        Explanation { text, fix, value }
    }
}
