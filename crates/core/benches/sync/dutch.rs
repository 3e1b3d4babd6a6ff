//! The words of the benchmark's mail: Dutch office prose, subjects and attachment names.

/// Sentences a body is made of (a few with the diacritics Dutch mail has: café, één, ideeën).
pub const SENTENCES: &[&str] = &[
    "Hartelijk dank voor uw bericht van afgelopen week.",
    "Zoals besproken stuur ik u hierbij de aangepaste offerte.",
    "Wij hebben de bestelling in goede orde ontvangen en verwachten deze volgende week te leveren.",
    "Kunt u mij laten weten of de voorgestelde datum u schikt?",
    "Graag plannen wij een overleg in om de voortgang van het project te bespreken.",
    "De factuur is inmiddels verstuurd naar de financiële administratie.",
    "Helaas is het onderdeel op dit moment niet op voorraad.",
    "Wij verwachten de nieuwe levering uiterlijk vrijdag binnen te hebben.",
    "Mocht u nog vragen hebben, dan hoor ik het graag.",
    "In de bijlage vindt u het verslag van de vergadering van dinsdag.",
    "Ik heb de wijzigingen verwerkt in de tweede versie van het contract.",
    "Het onderhoud aan de installatie staat gepland voor maandagochtend.",
    "Onze monteur neemt contact met u op om een afspraak te maken.",
    "Wilt u de getekende opdrachtbevestiging aan ons retourneren?",
    "De prijzen in deze offerte zijn exclusief btw en dertig dagen geldig.",
    "Wij zijn blij met de prettige samenwerking van het afgelopen jaar.",
    "Vanwege de feestdagen is ons kantoor tussen kerst en oud en nieuw gesloten.",
    "Ik ben volgende week op vakantie; mijn collega neemt de lopende zaken waar.",
    "Het café op de hoek is een goede plek om elkaar te ontmoeten.",
    "Wij hebben één vraag over de specificaties van de tweede fase.",
    "Er zijn nog enkele ideeën over de inrichting van de nieuwe werkplaats.",
    "De coördinatie van de werkzaamheden ligt bij onze projectleider.",
    "Kunt u de tekeningen ook in een bewerkbaar formaat aanleveren?",
    "De betaling van factuur 2024-118 hebben wij nog niet ontvangen.",
    "Wij verzoeken u vriendelijk het openstaande bedrag binnen veertien dagen te voldoen.",
    "De levering bestaat uit drie pallets en wordt aan de achterzijde gelost.",
    "Ik stel voor dat we de planning donderdag telefonisch doornemen.",
    "Bijgaand treft u de nieuwe prijslijst aan, die ingaat per de eerste van de maand.",
    "Het rapport van de keuring is goedgekeurd door de inspecteur.",
    "De vergunningsaanvraag is ingediend bij de gemeente.",
    "Wij hebben uw klacht in behandeling genomen en komen er zo snel mogelijk op terug.",
    "De monsters zijn vandaag per koerier naar u verzonden.",
    "Zou u de offerte kunnen uitsplitsen naar arbeid en materiaal?",
    "Het nieuwe systeem draait sinds maandag zonder problemen.",
    "Ik heb het adres aangepast in onze klantenadministratie.",
    "Wij kijken uit naar uw reactie en de verdere samenwerking.",
    "Tijdens de rondleiding hebben we de knelpunten in de logistiek gezien.",
    "De kosten voor het meerwerk zijn in overleg met uw collega vastgesteld.",
    "Kunt u bevestigen dat de afspraak van woensdag om tien uur doorgaat?",
    "Ons magazijn is tijdelijk verhuisd naar het bedrijventerrein aan de rand van de stad.",
];

/// Subjects of new conversations; `{n}` becomes a number, `{c}` a company name.
pub const SUBJECTS: &[&str] = &[
    "Offerte {n}",
    "Vraag over factuur {n}",
    "Afspraak volgende week",
    "Planning week {n}",
    "Bevestiging bestelling {n}",
    "Overleg project {c}",
    "Uitnodiging: nieuwjaarsborrel",
    "Herinnering: betaling factuur {n}",
    "Nieuwe prijslijst",
    "Wijziging leveringsadres",
    "Verslag vergadering {n}",
    "Contractverlenging {c}",
    "Één vraag over de levering",
    "Reactie op uw aanvraag",
    "Onderhoud installatie {c}",
    "Ideeën voor de nieuwe werkplaats",
    "Klacht over levering {n}",
    "Coördinatie werkzaamheden",
    "Tekeningen fase {n}",
    "Lunch in het café?",
];

/// (content type, file name) of attachments.
pub const ATTACHMENTS: &[(&str, &str)] = &[
    ("application/pdf", "offerte.pdf"),
    ("application/pdf", "factuur.pdf"),
    ("image/jpeg", "foto-locatie.jpg"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "contract.docx",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "prijslijst.xlsx",
    ),
    ("application/pdf", "tekening-fase-één.pdf"),
];

/// Greetings; `{f}` becomes the first name.
pub const GREETINGS: &[&str] = &["Beste {f},", "Hallo {f},", "Goedemiddag {f},", "Dag {f},"];

pub const CLOSINGS: &[&str] = &[
    "Met vriendelijke groet,",
    "Vriendelijke groeten,",
    "Groet,",
    "Met hartelijke groet,",
];

pub const MAILERS: &[&str] = &[
    "User-Agent: Mozilla Thunderbird",
    "X-Mailer: Microsoft Outlook 16.0",
    "X-Mailer: iPhone Mail (21D61)",
    "User-Agent: Roundcube Webmail/1.6.6",
];
