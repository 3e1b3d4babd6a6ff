//! Word lists the demo data is built from. Everything here is plain Dutch (or, for some names,
//! the other languages one meets in a Dutch address book).

pub const MALE_FIRST: &[&str] = &[
    "Jan", "Pieter", "Kees", "Henk", "Willem", "Gerrit", "Johan", "Bram", "Daan", "Sem", "Lucas",
    "Thomas", "Ruben", "Jeroen", "Maarten", "Martijn", "Bas", "Tim", "Sander", "Niels", "Erik",
    "Arjen", "Joost", "Wouter", "Rik", "Stijn", "Thijs", "Koen", "Frank", "Marco", "Dennis", "Mark",
    "Rob", "Hans", "Peter", "Jasper", "Jesse", "Luuk", "Milan", "Finn", "Noah", "Levi", "Gijs",
    "Hidde", "Job", "Teun", "Ties", "Floris", "Jan-Willem", "Hendrik", "Cornelis", "Dirk", "Arie",
    "Ad", "Bart", "Freek", "Remco", "Vincent", "Mohammed", "Mehmet", "Ömer", "Noël", "René",
    "André",
];

pub const FEMALE_FIRST: &[&str] = &[
    "Anna", "Emma", "Julia", "Sophie", "Lotte", "Fleur", "Anouk", "Sanne", "Lisa", "Eva", "Iris",
    "Femke", "Marieke", "Esther", "Linda", "Petra", "Monique", "Ingrid", "Annemieke", "Karin",
    "Wilma", "Gerda", "Els", "Ria", "Mieke", "Tineke", "Joke", "Sara", "Noor", "Tess", "Sarah",
    "Lieke", "Maud", "Roos", "Isa", "Evi", "Mila", "Nina", "Jasmijn", "Ilse", "Judith", "Inge",
    "Manon", "Nicole", "Kim", "Marloes", "Hanneke", "Suzanne", "Anne-Marie", "Yvonne", "Zoë",
    "Chloë", "Daniëlle", "Anaïs", "Noëlle", "Ayşe", "Fatima", "Yasmina", "Renée", "Hélène",
];

/// `(tussenvoegsel, achternaam)`; the tussenvoegsel goes in its own field.
pub const SURNAMES: &[(&str, &str)] = &[
    ("", "Jansen"), ("de", "Jong"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"),
    ("", "Bakker"), ("", "Janssen"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"),
    ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"),
    ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
    ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"), ("", "Kok"),
    ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"),
    ("van den", "Broek"), ("de", "Bruijn"), ("de", "Bruin"), ("van der", "Heijden"),
    ("", "Schouten"), ("van", "Beek"), ("", "Willems"), ("van", "Vliet"), ("van de", "Ven"),
    ("", "Hoekstra"), ("", "Maas"), ("", "Verhoeven"), ("", "Koster"), ("van", "Dam"),
    ("van der", "Wal"), ("", "Prins"), ("", "Blom"), ("", "Huisman"), ("", "Peeters"),
    ("de", "Jonge"), ("", "Kuipers"), ("van", "Veen"), ("", "Post"), ("", "Kuiper"),
    ("", "Veenstra"), ("", "Kramer"), ("van den", "Brink"), ("", "Scholten"), ("van", "Wijk"),
    ("", "Postma"), ("", "Martens"), ("", "Vink"), ("de", "Ruiter"), ("", "Timmermans"),
    ("", "Groen"), ("", "Gerritsen"), ("", "Jonker"), ("van", "Loon"), ("", "Boer"),
    ("van der", "Velde"), ("", "Willemsen"), ("", "Smeets"), ("de", "Lange"), ("de", "Vos"),
    ("", "Bosch"), ("van", "Dongen"), ("", "Schipper"), ("de", "Koning"), ("van der", "Laan"),
    ("", "Koning"), ("van der", "Velden"), ("", "Driessen"), ("van", "Doorn"), ("", "Hermans"),
    ("", "Evers"), ("van den", "Bosch"), ("van der", "Meulen"), ("", "Hofman"), ("", "Bosman"),
    ("", "Wouters"), ("", "Sanders"), ("van der", "Zee"), ("", "Molenaar"), ("", "Kuijpers"),
    ("", "Bouwman"), ("ter", "Horst"), ("ter", "Haar"), ("ter", "Beek"), ("den", "Hartog"),
    ("den", "Boer"), ("den", "Ouden"), ("van 't", "Hof"), ("van 't", "Veer"), ("in 't", "Veld"),
    ("op den", "Kamp"), ("van", "Rijn"), ("", "Wolters"), ("van", "Rossum"), ("", "Bakker-Çelik"),
    ("", "Yılmaz"), ("", "Öztürk"), ("", "Şahin"), ("", "El Amrani"), ("", "Müller"),
    ("", "Schröder"), ("", "Nguyễn"), ("", "D'Souza"), ("", "Janssen-Ünal"), ("", "Zoetemelk"),
    ("", "Oosterhuis"), ("", "Brinkman"),
];

/// Sector words that precede the family name: "Bakkerij Jansen".
pub const SECTOR_PREFIX: &[&str] = &[
    "Bakkerij", "Hoveniersbedrijf", "Schildersbedrijf", "Installatiebedrijf", "Aannemersbedrijf",
    "Loodgietersbedrijf", "Transportbedrijf", "Autobedrijf", "Administratiekantoor", "Adviesbureau",
    "Architectenbureau", "Timmerbedrijf", "Slagerij", "Drukkerij", "Garage", "Makelaardij",
    "Dakdekkersbedrijf", "Tuincentrum", "Rijwielhandel", "Groothandel", "Kapsalon", "Fysiotherapie",
    "Tandartspraktijk", "Loonbedrijf", "Bloemisterij",
];

/// Sector words that follow the family name: "De Vries Installatietechniek B.V.".
pub const SECTOR_SUFFIX: &[&str] = &[
    "Installatietechniek", "Bouw", "Transport", "Logistiek", "Metaalbewerking", "Elektrotechniek",
    "Schilderwerken", "Bouwmaterialen", "Accountants", "Advocaten", "Makelaars", "Automatisering",
    "ICT", "Kozijnen", "Dakwerken", "Verhuur", "Grondverzet", "Catering", "Interieurbouw",
    "Keukens", "Tegelwerken", "Vastgoed", "Consultancy", "Notarissen", "Koeltechniek",
];

/// `(plaats, netnummer, lowest and highest four-digit postal code)`.
pub const CITIES: &[(&str, &str, u16, u16)] = &[
    ("Amsterdam", "020", 1011, 1109),
    ("Rotterdam", "010", 3011, 3089),
    ("Den Haag", "070", 2491, 2599),
    ("Utrecht", "030", 3511, 3585),
    ("Eindhoven", "040", 5611, 5658),
    ("Groningen", "050", 9711, 9747),
    ("Tilburg", "013", 5011, 5049),
    ("Almere", "036", 1311, 1364),
    ("Breda", "076", 4811, 4839),
    ("Nijmegen", "024", 6511, 6546),
    ("Apeldoorn", "055", 7311, 7337),
    ("Haarlem", "023", 2011, 2037),
    ("Arnhem", "026", 6811, 6846),
    ("Enschede", "053", 7511, 7548),
    ("Amersfoort", "033", 3811, 3829),
    ("Zwolle", "038", 8011, 8043),
    ("Leiden", "071", 2311, 2334),
    ("Maastricht", "043", 6211, 6229),
    ("Dordrecht", "078", 3311, 3319),
    ("Leeuwarden", "058", 8911, 8939),
    ("'s-Hertogenbosch", "073", 5211, 5237),
    ("Alkmaar", "072", 1811, 1826),
    ("Delft", "015", 2611, 2629),
    ("Deventer", "0570", 7411, 7431),
    ("Hilversum", "035", 1211, 1223),
    ("Gouda", "0182", 2801, 2809),
    ("Venlo", "077", 5911, 5928),
    ("Assen", "0592", 9401, 9409),
    ("Middelburg", "0118", 4331, 4338),
    ("Doetinchem", "0314", 7001, 7009),
    ("Harderwijk", "0341", 3841, 3849),
    ("Emmen", "0591", 7811, 7833),
    ("Hoorn", "0229", 1621, 1628),
    ("Zaandam", "075", 1501, 1509),
    ("Veenendaal", "0318", 3901, 3907),
    ("Heerenveen", "0513", 8441, 8448),
    ("Roermond", "0475", 6041, 6045),
    ("Sneek", "0515", 8601, 8608),
    ("Goes", "0113", 4461, 4465),
    ("Zeist", "030", 3701, 3709),
];

pub const STREETS: &[&str] = &[
    "Kerkstraat", "Dorpsstraat", "Dorpsweg", "Molenweg", "Stationsweg", "Stationsplein",
    "Hoofdstraat", "Schoolstraat", "Julianalaan", "Beatrixstraat", "Wilhelminastraat", "Marktplein",
    "Nieuwstraat", "Havenstraat", "Parallelweg", "Lindelaan", "Eikenlaan", "Prinses Irenestraat",
    "Oranjestraat", "Emmastraat", "Bosweg", "Zuiderweg", "Noordeinde", "Achterweg", "Sportlaan",
    "Kastanjelaan", "Molenstraat", "Raadhuisstraat", "Kanaalweg", "Burgemeester Jansenlaan",
    "Prins Bernhardlaan", "Vondelstraat", "Rembrandtlaan", "Van Goghstraat", "Meidoornstraat",
    "Beukenlaan", "Populierenlaan", "Singel", "Brink", "Zandweg",
];

/// Streets of business parks, used for companies as well.
pub const BUSINESS_STREETS: &[&str] = &[
    "Industrieweg", "Ambachtsweg", "Nijverheidsweg", "Edisonstraat", "Handelsweg", "Bedrijvenweg",
    "Zuiderhavenweg", "Transportweg", "Energieweg", "Celsiusstraat",
];

pub const JOB_TITLES: &[&str] = &[
    "Directeur", "Eigenaar", "Office manager", "Inkoper", "Boekhouder", "Verkoopadviseur",
    "Projectleider", "Monteur", "Werkvoorbereider", "Administratief medewerker", "HR-adviseur",
    "Planner", "Accountmanager", "Bedrijfsleider", "Financieel controller", "Marketingmedewerker",
    "Receptioniste", "Calculator", "Directiesecretaresse", "Commercieel directeur",
    "Binnendienstmedewerker", "Salarisadministrateur", "Hoofd inkoop", "Uitvoerder",
];

pub const PRIVATE_DOMAINS: &[&str] = &[
    "gmail.com", "gmail.com", "gmail.com", "hotmail.com", "hotmail.com", "outlook.com", "live.nl",
    "ziggo.nl", "kpnmail.nl", "kpn.nl", "planet.nl", "xs4all.nl", "home.nl", "icloud.com",
    "hetnet.nl",
];

pub const NOTES: &[&str] = &[
    "Belt liever na 10 uur.",
    "Contactpersoon voor facturen.",
    "Ontmoet op de vakbeurs in Utrecht.",
    "Spreekt ook Duits.",
    "Wil een offerte voor het onderhoudscontract.",
    "Is op vrijdag niet bereikbaar.",
    "Stuurt bestellingen altijd per e-mail.",
    "Wil de nieuwsbrief ontvangen.",
    "Graag tutoyeren.",
    "Factuur altijd met ordernummer sturen.",
    "Opvolger van de vorige directeur.",
    "Werkt parttime (ma t/m wo).",
    "Oud-collega van Sanne.",
    "Betaalt meestal binnen een week.",
    "Bellen over de verlenging in het najaar.",
];
