"""Write the command line's Swedish catalogue: click's own texts and every command's help.

The msgids are gathered, not typed: click's from its installed source (xgettext), the help
texts by walking ``likvard``'s command tree. The Swedish comes from the reviewed table
below. Run after adding a command or option (``make messages`` does); a msgid without
Swedish is reported here, and ``tests/app/cli/test_help_language.py`` fails on it.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click
import polib  # type: ignore[import-untyped]  # no stubs published

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src/likvard/locale/sv/LC_MESSAGES/cli.po"

# click's own texts (click 8.x; placeholders kept as click names them)
CLICK_SV: dict[str, str] = {
    "d": "d",
    "{editor}: Editing failed": "{editor}: redigeringen misslyckades",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen misslyckades: {e}",
    "Windows error: {error}": "Windowsfel: {error}",
    "Aborted!": "Avbrutet!",
    "deprecated": "föråldrad",
    "Options": "Flaggor",
    "Positional arguments": "Argument",
    "Got unexpected extra argument ({args})": "Fick ett oväntat extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Fick oväntade extra argument ({args})",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Varning: kommandot {name!r} är föråldrat.{extra_message}"
    ),
    "Commands": "Kommandon",
    "Missing command.": "Kommando saknas.",
    "Value must be an iterable.": "Värdet måste vara en följd av värden.",
    "Takes {nargs} values but 1 was given.": "Tar {nargs} värden men 1 gavs.",
    "Takes {nargs} values but {len} were given.": "Tar {nargs} värden men {len} gavs.",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Varning: {param_type} {name!r} är föråldrad.{extra_message}"
    ),
    "Name '{name}' defined twice": "Namnet '{name}' är definierat två gånger",
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "Ja/nej-flaggan {decl!r} kan inte använda samma flagga för ja och nej."
    ),
    "Could not determine name for option with declarations {decls!r}": (
        "Kunde inte avgöra namnet på flaggan med deklarationerna {decls!r}"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?": (
        "Inga flaggor är definierade men ett namn angavs ({name}). Menade du att deklarera ett "
        "argument i stället? Menade du att ange '--{name}'?"
    ),
    "env var: {var}": "miljövariabel: {var}",
    "default: {default}": "standard: {default}",
    "(dynamic)": "(dynamiskt)",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Argument tar exakt en parameterdeklaration, fick {length}: {decls}."
    ),
    "Do you want to continue?": "Vill du fortsätta?",
    "Confirm the action without prompting.": "Bekräfta utan att fråga.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du någon av: {possibilities}?)",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing {param_type}": "{param_type} saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "unknown error": "okänt fel",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "Usage:": "Användning:",
    "Invalid start character for option ({option})": "Ogiltigt första tecken i flagga ({option})",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} tar {nargs} värden.",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Option {name!r} requires an argument.": "Flaggan {name!r} kräver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Flaggan {name!r} kräver {nargs} värden.",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Komplettering i skalet fungerar inte i Bash äldre än 4.4."
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Kunde inte avgöra Bash-versionen; komplettering i skalet fungerar inte."
    ),
    "Repeat for confirmation": "Upprepa för att bekräfta",
    "Error: The two entered values do not match.": "Fel: de två värdena stämmer inte överens.",
    "Error: invalid input": "Fel: ogiltig inmatning",
    "Unknown color {colour!r}": "Okänd färg {colour!r}",
    "Press any key to continue...": "Tryck på valfri tangent för att fortsätta …",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte något av {choices}.",
    "Choice({choices})": "Val({choices})",
    "{value!r} does not match the format {format}.": "{value!r} följer inte formatet {format}.",
    "{value!r} does not match the formats {formats}.": (
        "{value!r} följer inte något av formaten {formats}."
    ),
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} är inte ja eller nej. Giltiga värden: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} är inte ett giltigt UUID.",
    "file": "filen",
    "directory": "mappen",
    "path": "sökvägen",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva till.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} värden krävs, men {len_value} gavs."
    ),
    "{len_type} values are required, but {len_value} were given.": (
        "{len_type} värden krävs, men {len_value} gavs."
    ),
    "Unknown standard stream '{name}'": "Okänd standardström '{name}'",
    "required": "krävs",
}
# click translates these through a variable (``_(extra["required"])``): xgettext cannot see them
CLICK_DYNAMIC = ["required"]

# The help of likvard's own commands and options (msgid: the English help, cleaned)
HELP_SV: dict[str, str] = {
    "Likvärd: quality follow-up for school organizers and their regions.\n\n"
    "Every command uses the same access rules and services as the web pages.": (
        "Likvärd: kvalitetsuppföljning för huvudmän och deras regioner.\n\n"
        "Varje kommando använder samma behörigheter och tjänster som webbsidorna."
    ),
    "Grade equity: final grades against national test results.": (
        "Likvärdig betygssättning: slutbetyg jämförda med provresultat."
    ),
    "Test pass rate against subject pass rate per municipality, subject and year.\n\n"
    "From Skolverket's published files imported with the public_stats kind. CSV goes to\n"
    "standard output unless -o is given; XLSX needs -o.": (
        "Andel godkända på provet jämfört med andel godkända i ämnet per kommun, ämne och år.\n\n"
        "Från Skolverkets publicerade filer, importerade som public_stats. CSV skrivs till\n"
        "standard ut om inte -o anges; XLSX kräver -o."
    ),
    "Municipality code (repeatable); every imported municipality when left out.": (
        "Kommunkod (kan upprepas); alla importerade kommuner om den utelämnas."
    ),
    "all (default), kommunal or enskild; repeatable.": (
        "all (standard), kommunal eller enskild; kan upprepas."
    ),
    "One row per municipality and subject: the trend.": ("En rad per kommun och ämne: trenden."),
    "Run as this user (public statistics need none).": (
        "Kör som den här användaren (offentlig statistik behöver ingen)."
    ),
    "Audits of what the platform releases.": "Granskning av det plattformen lämnar ut.",
    "Gather every figure a viewer can obtain for a region through the pages' services,\n"
    "derive the ties between them, and bound each hidden cell with a linear programme (HiGHS).\n\n"
    "Prints per analysis the cells released, hidden and exposed, and the exposed cells\n"
    "(analysis, table, key, interval). Exits with status 1 if any cell is exposed.": (
        "Samla varje siffra en användare kan få fram för en region genom sidornas tjänster,\n"
        "härled sambanden mellan dem och avgränsa varje dold cell med linjärprogrammering "
        "(HiGHS).\n\n"
        "Skriver per analys antalet utlämnade, dolda och röjda celler, och de röjda cellerna\n"
        "(analys, tabell, nyckel, intervall). Avslutar med status 1 om någon cell är röjd."
    ),
    "Region code; every region if left out.": "Regionkod; alla regioner om den utelämnas.",
    "Only this school year's rows (spring year).": "Bara det här läsårets rader (vårterminens år).",
    "Audit as this user (repeatable); every user if left out.": (
        "Granska som den här användaren (kan upprepas); alla användare om den utelämnas."
    ),
    "Audit only this analysis (repeatable); every analysis if left out.": (
        "Granska bara den här analysen (kan upprepas); alla analyser om den utelämnas."
    ),
    "A hidden cell is exposed when its feasible interval is narrower than this.": (
        "En dold cell räknas som röjd när dess möjliga intervall är smalare än så här."
    ),
    "Audit each analysis on its own (quality with open data: they share cells).": (
        "Granska varje analys för sig (kvalitet med öppna data: de delar celler)."
    ),
    "Append a line per region, viewer and analysis to this CSV file.": (
        "Lägg till en rad per region, användare och analys i den här CSV-filen."
    ),
    "Save what each run gathered in this folder (to re-solve without the services).": (
        "Spara det varje körning samlade i den här mappen (för att lösa om utan tjänsterna)."
    ),
    "Back up the installation into FOLDER (new or empty), while it runs.\n\n"
    "The app database (SQLite's online backup, or pg_dump), every warehouse file its manifest\n"
    "names, and uploads still being imported, with MANIFEST.json. The pseudonym key is NOT in\n"
    "it: keep that apart (docs/operations.md). FOLDER holds personal data: protect it so.": (
        "Säkerhetskopiera installationen till FOLDER (ny eller tom) medan den är i drift.\n\n"
        "Appens databas (SQLites onlinebackup eller pg_dump), varje lagerfil som manifestet\n"
        "nämner och uppladdningar som ännu importeras, med MANIFEST.json. Pseudonymnyckeln "
        "ingår INTE:\nförvara den separat (docs/operations.md). FOLDER innehåller "
        "personuppgifter: skydda den därefter."
    ),
    "Restore the backup in FOLDER into this installation, which must hold no data.\n\n"
    "Put the pseudonym key in place first (LIKVARD_PSEUDONYM_KEY or the key file): a backup\n"
    "made with another key is refused. Then start the worker (or run `likvard warm`) to\n"
    "compute the kept tables again.": (
        "Återställ säkerhetskopian i FOLDER till den här installationen, som måste vara tom.\n\n"
        "Lägg pseudonymnyckeln på plats först (LIKVARD_PSEUDONYM_KEY eller nyckelfilen): en\n"
        "säkerhetskopia gjord med en annan nyckel avvisas. Starta sedan bakgrundsprocessen (eller\n"
        "kör `likvard warm`) för att räkna fram de sparade tabellerna igen."
    ),
    "Restore over existing data or another key.": (
        "Återställ över befintliga data eller en annan nyckel."
    ),
    "Completed upper-secondary studies and the absence early warning.": (
        "Fullföljda gymnasiestudier och tidig varning vid frånvaro."
    ),
    "Diploma within 3, 4 and 5 years per start year for region CODE (CSV on stdout).": (
        "Examen inom 3, 4 och 5 år per startår för regionen CODE (CSV till standard ut)."
    ),
    "Run as this user.": "Kör som den här användaren.",
    "The early-warning list of SCHOOL_UNIT_CODE: its principal only. XLSX with -o, else CSV.": (
        "Listan för tidig varning för SCHOOL_UNIT_CODE: bara för dess rektor. XLSX med -o, "
        "annars CSV."
    ),
    "Run as this user (the principal).": "Kör som den här användaren (rektorn).",
    "Reported incidents per school year and organizer in region CODE (CSV on stdout).": (
        "Anmälda händelser per läsår och huvudman i regionen CODE (CSV till standard ut)."
    ),
    "The incident cases of SCHOOL_UNIT_CODE: its principal and student health team only.": (
        "Ärendena för SCHOOL_UNIT_CODE: bara för dess rektor och elevhälsa."
    ),
    "Run as this user (principal, elevhälsa).": ("Kör som den här användaren (rektor, elevhälsa)."),
    "Create the demo region: migrate, load reference data, demo users and ten years of data.\n\n"
    "The data is synthetic, for GR's and Skaraborg's municipalities, and goes in through the\n"
    "same import pipeline as a user's files. Running it again reuses what is there.": (
        "Skapa demoregionen: migrera, läs in referensdata, demoanvändare och tio års data.\n\n"
        "Datan är syntetisk, för GR:s och Skaraborgs kommuner, och går in genom samma\n"
        "import som en användares filer. En ny körning återanvänder det som redan finns."
    ),
    "Size of the synthetic data: 1.0 is about 50 000 students a year.": (
        "Storlek på den syntetiska datan: 1.0 är omkring 50 000 elever per år."
    ),
    "Skip generating and importing the demo data.": (
        "Hoppa över att skapa och importera demodatan."
    ),
    "Export reports as files (XLSX, PDF, PPTX, DOCX).": (
        "Exportera rapporter som filer (XLSX, PDF, PPTX, DOCX)."
    ),
    "The analysis basis (analysunderlag) of an organizer for a school year, as a file.\n\n"
    "Figures the user has no right to in full are suppressed exactly as on the page. The year\n"
    "defaults to the latest one with students in the warehouse.": (
        "En huvudmans analysunderlag för ett läsår, som fil.\n\n"
        "Siffror som användaren inte har rätt att se i sin helhet döljs precis som på sidan.\n"
        "Läsåret är som standard det senaste med elever i datalagret."
    ),
    "Organisation number.": "Organisationsnummer.",
    "School year as its spring year (2025).": "Läsår som vårterminens år (2025).",
    "Run as this user; without it, small groups are hidden as for anyone.": (
        "Kör som den här användaren; utan den döljs små grupper som för vem som helst."
    ),
    "Create the synthetic national data set (every municipality) the benchmarks run on.\n\n"
    "The same files `make bench` uses, so that anyone can reproduce BENCHMARKS.md. No\n"
    "personnummer: the student keys are pseudonyms already.": (
        "Skapa det syntetiska nationella datasetet (alla kommuner) som benchmarks körs på.\n\n"
        "Samma filer som `make bench` använder, så att vem som helst kan återskapa\n"
        "BENCHMARKS.md. Inga personnummer: elevnycklarna är redan pseudonymer."
    ),
    "Share of the nation's students (1 = the whole country, about 76 million rows).": (
        "Andel av landets elever (1 = hela landet, omkring 76 miljoner rader)."
    ),
    "Random seed: the same seed and scale give the same files.": (
        "Slumpfrö: samma frö och skala ger samma filer."
    ),
    "Number of school years.": "Antal läsår.",
    "Folder to write the Parquet files in (<table>/<year>.parquet); created if needed.": (
        "Mapp att skriva Parquet-filerna i (<tabell>/<läsår>.parquet); skapas vid behov."
    ),
    "Import FILES of KIND. Exits 0 with what was added, non-zero on a bad file.\n\n"
    "A bad file writes nothing; every problem is listed as FILE:ROW:COLUMN: message.\n"
    'Importing the same file again changes nothing ("redan importerad"). With --organizer\n'
    "every row must name one of that organizer's school units; with --region (admissions only)\n"
    "a school unit in one of the region's municipalities.": (
        "Importera FILES av slaget KIND. Avslutar med 0 och det som lades till, annars inte 0.\n\n"
        "En felaktig fil skriver ingenting; varje problem listas som FIL:RAD:KOLUMN: meddelande.\n"
        'Att importera samma fil igen ändrar ingenting ("redan importerad"). Med --organizer\n'
        "måste varje rad ange en av huvudmannens skolenheter; med --region (bara antagning)\n"
        "en skolenhet i någon av regionens kommuner."
    ),
    "Organisation number of the organizer whose data this is.": (
        "Organisationsnummer för huvudmannen som datan tillhör."
    ),
    "Region code (e.g. gr) for its admissions office's joint file (admissions only).": (
        "Regionkod (t.ex. gr) för antagningskansliets gemensamma fil (bara antagning)."
    ),
    "Record the import as made by this user.": (
        "Registrera importen som gjord av den här användaren."
    ),
    "The regional knowledge bank: research, methods and material from finished projects.": (
        "Den regionala kunskapsbanken: forskning, metoder och material från avslutade projekt."
    ),
    "Import SHEET (XLSX or CSV, one row per item), all or nothing.\n\n"
    "Every row is checked first: columns, vocabularies, the user's right to edit the row's region\n"
    "or network, and each named file (type checked against its content). Problems are printed as\n"
    "FILE:ROW:COLUMN: message and nothing is imported.": (
        "Importera SHEET (XLSX eller CSV, en rad per post), allt eller inget.\n\n"
        "Varje rad kontrolleras först: kolumner, ordlistor, användarens rätt att redigera radens\n"
        "region eller nätverk, och varje namngiven fil (typen kontrolleras mot innehållet).\n"
        "Problem skrivs som FIL:RAD:KOLUMN: meddelande och ingenting importeras."
    ),
    "The editor the items are written as.": "Redaktören som posterna skrivs i namn av.",
    "Folder holding the files the sheet names (column filer).": (
        "Mapp med filerna som arket nämner (kolumnen filer)."
    ),
    "Write the items the user may read to OUT (XLSX) in the import's columns.": (
        "Skriv posterna användaren får läsa till OUT (XLSX) med importens kolumner."
    ),
    "Export what this user may read (default: public).": (
        "Exportera det den här användaren får läsa (standard: det offentliga)."
    ),
    "Komvux: söktryck, fill rate, completion and outcomes of course starts.": (
        "Komvux: söktryck, fyllnadsgrad, genomförande och utfall av kursstarter."
    ),
    "Komvux measures of region CODE's municipalities.": "Komvuxmått för regionen CODE:s kommuner.",
    "Breakdown of the CSV rows.": "Indelning av CSV-raderna.",
    "Year the starts began (latest).": "År då kursstarterna började (senaste).",
    "Write the report as .xlsx, .pdf or .pptx instead of CSV.": (
        "Skriv rapporten som .xlsx, .pdf eller .pptx i stället för CSV."
    ),
    "Run as this user (suppression depends on it).": (
        "Kör som den här användaren (vad som döljs beror på den)."
    ),
    "Komvux measures of the municipal organizer ORGANISATION_NUMBER.": (
        "Komvuxmått för den kommunala huvudmannen ORGANISATION_NUMBER."
    ),
    "A region's dependency map: where upper-secondary students live and study (15 October).\n\n"
    "CSV (the default) has one row per municipality: residents, those with another organizer,\n"
    "the share, outgoing, incoming and net; it goes to standard output unless -o is given.\n"
    "XLSX holds every table of the page, PPTX the slides with the map and the flow diagram; both\n"
    "need -o. Small groups are hidden unless the user owns the figures.": (
        "En regions beroendekarta: var gymnasieelever bor och studerar (15 oktober).\n\n"
        "CSV (standard) har en rad per kommun: folkbokförda, de med annan huvudman, andelen,\n"
        "utpendlande, inpendlande och netto; den skrivs till standard ut om inte -o anges.\n"
        "XLSX innehåller sidans alla tabeller, PPTX bilderna med kartan och flödesdiagrammet;\n"
        "båda kräver -o. Små grupper döljs om inte användaren äger siffrorna."
    ),
    "Region code, e.g. GR.": "Regionkod, t.ex. GR.",
    "School year (spring year); the latest by default.": (
        "Läsår (vårterminens år); som standard det senaste."
    ),
    "Run as this user (figures they own come in full).": (
        "Kör som den här användaren (egna siffror visas i sin helhet)."
    ),
    "Meeting notes of the networks: import old notes, check their repair.": (
        "Nätverkens minnesanteckningar: importera gamla anteckningar, kontrollera lagningen."
    ),
    "Import FILES (TXT, DOCX, PDF, scanned PDF): parse, show the structure, commit.\n\n"
    "Each file is committed on confirmation, or at once with --yes. The same file again\n"
    "changes nothing. Exits 1 when a file could not be committed.": (
        "Importera FILES (TXT, DOCX, PDF, inskannad PDF): tolka, visa strukturen, spara.\n\n"
        "Varje fil sparas när du bekräftar, eller direkt med --yes. Samma fil igen ändrar\n"
        "ingenting. Avslutar med 1 när en fil inte kunde sparas."
    ),
    "Commit without asking.": "Spara utan att fråga.",
    "Code of the network the notes belong to.": "Kod för nätverket som anteckningarna hör till.",
    "Write FILE's extracted and repaired text to OUTPUT, line for line, to check the repair.": (
        "Skriv FILE:s utlästa och lagade text till OUTPUT, rad för rad, för att kontrollera "
        "lagningen."
    ),
    "Where to write the text.": "Var texten ska skrivas.",
    "Planning and dimensioning: cohort forecast, supply against demand.": (
        "Planering och dimensionering: prognos per årskull, utbud mot efterfrågan."
    ),
    "16-year-olds per municipality for the next ten years, from population by age.\n\n"
    "CSV (the forecast per municipality and year) goes to standard output unless -o is given.\n"
    "XLSX needs -o and also holds expected students per programme and school municipality and\n"
    "supply against demand per programme.": (
        "16-åringar per kommun de kommande tio åren, från befolkningen efter ålder.\n\n"
        "CSV (prognosen per kommun och år) skrivs till standard ut om inte -o anges.\n"
        "XLSX kräver -o och innehåller också väntade elever per program och skolkommun och\n"
        "utbud mot efterfrågan per program."
    ),
    "Base year of the population (31 December).": "Befolkningens basår (31 december).",
    "Run as this user (suppression depends on the user).": (
        "Kör som den här användaren (vad som döljs beror på användaren)."
    ),
    "The quality system: goals, indicators and success factors (the catalogue).": (
        "Kvalitetssystemet: mål, indikatorer och framgångsfaktorer (katalogen)."
    ),
    "Load the catalogue FILE (default: the one shipped with Likvärd), all or nothing.\n\n"
    "FILE is in the documented catalogue format (docs/quality-catalogue-format.md), for\n"
    "example Skolverket's official lists. Loading the same file again changes nothing.": (
        "Läs in katalogen FILE (standard: den som följer med Likvärd), allt eller inget.\n\n"
        "FILE följer det dokumenterade katalogformatet (docs/quality-catalogue-format.md), till\n"
        "exempel Skolverkets officiella listor. Samma fil igen ändrar ingenting."
    ),
    "Public reference data: municipalities, regions, programmes, organizers, school units.": (
        "Offentliga referensdata: kommuner, regioner, program, huvudmän, skolenheter."
    ),
    "Load the reference tables from DIR, all or nothing; loading again changes nothing.": (
        "Läs in referenstabellerna från DIR, allt eller inget; en ny inläsning ändrar ingenting."
    ),
    "A folder with newer files of the same kinds and columns.": (
        "En mapp med nyare filer av samma slag och med samma kolumner."
    ),
    "Collect static files and serve the app with gunicorn, and two task workers beside it.\n\n"
    "One command for the demo and a small installation: the web server (gunicorn), the worker\n"
    "that runs imports, warm-ups and exports, and the interactive worker that runs what a page\n"
    "waits for (a completion decision) are separate processes, so a restart of the web server\n"
    "does not interrupt an import and a page's task never waits behind a warm-up. Ctrl+C or\n"
    "SIGTERM stops all; a worker finishes its running task first. In production each runs as\n"
    "its own service (docs/operations.md).": (
        "Samla statiska filer och kör appen med gunicorn, med två bakgrundsprocesser bredvid.\n\n"
        "Ett kommando för demon och en liten installation: webbservern (gunicorn), processen\n"
        "som kör importer, förberedelser och exporter, och den interaktiva processen som kör det\n"
        "en sida väntar på (ett beslut om genomströmning) är separata processer, så en omstart\n"
        "av webbservern avbryter ingen import och en sidas uppgift väntar aldrig bakom en\n"
        "förberedelse. Ctrl+C eller SIGTERM stoppar alla; en process gör först klart sin\n"
        "pågående uppgift. I produktion körs var och en som egen tjänst (docs/operations.md)."
    ),
    "Address to listen on.": "Adress att lyssna på.",
    "Port to listen on.": "Port att lyssna på.",
    "Web worker processes.": "Antal webbprocesser.",
    "Also run the task workers (likvard worker: background and interactive) beside it.": (
        "Kör också bakgrundsprocesserna (likvard worker: bakgrund och interaktiv) bredvid."
    ),
    "Create or update the app database's tables.": "Skapa eller uppdatera appdatabasens tabeller.",
    "Regional surveys: definitions, revisions and released results.": (
        "Regionala enkäter: definitioner, revideringar och utlämnade resultat."
    ),
    "Every survey version with its indices and its revision against the previous one.": (
        "Varje enkätversion med sina index och sin revidering mot den föregående."
    ),
    "A survey's indices in a region, released as on the page: text per unit (hidden figures\n"
    "as '..' with their reason), or every table as XLSX, PDF or PPTX (needs -o).": (
        "En enkäts index i en region, utlämnade som på sidan: text per enhet (dolda siffror\n"
        "som '..' med skälet), eller varje tabell som XLSX, PDF eller PPTX (kräver -o)."
    ),
    "Region code, e.g. gr.": "Regionkod, t.ex. gr.",
    "Survey version; the latest by default.": "Enkätversion; som standard den senaste.",
    "People and their roles.": "Personer och deras roller.",
    "Create USERNAME with one role; the password must pass the password rules.": (
        "Skapa USERNAME med en roll; lösenordet måste uppfylla lösenordsreglerna."
    ),
    "Region code for a regional coordinator or network role.": (
        "Regionkod för en regional samordnare eller en nätverksroll."
    ),
    "Organisation number for an organizer analyst.": (
        "Organisationsnummer för en analytiker hos en huvudman."
    ),
    "School unit code for a principal.": "Skolenhetskod för en rektor.",
    "Create an API token for USERNAME and print it (it is shown only once).": (
        "Skapa en API-nyckel för USERNAME och skriv ut den (den visas bara en gång)."
    ),
    "A name for the token.": "Ett namn på nyckeln.",
    "Compute the tables the pages keep per data version (movement cells and the like).\n\n"
    "Imports do this by themselves after a commit; run it after restoring a backup or when a\n"
    "page was slow the first time. Running it again reads what is kept and is quick.": (
        "Räkna fram tabellerna som sidorna sparar per dataversion (elevflödesceller och "
        "liknande).\n\n"
        "Importer gör det själva när de sparats; kör det efter en återställning eller när en\n"
        "sida var långsam första gången. En ny körning läser det sparade och går fort."
    ),
    "Run the tasks queued in the app database: uploads' validation and import, warm-ups,\n"
    "large exports.\n\n"
    "``likvard serve`` starts two, one for ``imports,warm,exports`` and one for ``interactive``\n"
    "(what a page waits for); in production each runs as its own service (docs/operations.md),\n"
    "so restarting the web server never interrupts an import. Before it starts, tasks left\n"
    "running by a worker that died are marked failed, and the newest data version is queued for\n"
    "warming if its kept tables are not complete, and export files past their retention and old\n"
    "versions' kept tables and cached pages are removed (not by a worker of the interactive\n"
    "queue alone). SIGTERM lets the running task finish first.": (
        "Kör uppgifterna i appdatabasens kö: kontroll och import av uppladdningar, förberedelser,\n"
        "stora exporter.\n\n"
        "``likvard serve`` startar två, en för ``imports,warm,exports`` och en för "
        "``interactive``\n(det en sida väntar på); i produktion körs var och en som egen tjänst "
        "(docs/operations.md),\nså en omstart av webbservern avbryter aldrig en import. Innan "
        "den startar markeras\nuppgifter som en avbruten process lämnade som misslyckade, den "
        "nyaste dataversionen\nköas för förberedelse om dess sparade tabeller inte är kompletta, "
        "och exportfiler äldre\nän lagringstiden samt äldre versioners sparade tabeller och "
        "sidor tas bort (inte av en\nprocess som bara betjänar den interaktiva kön). SIGTERM "
        "låter den pågående uppgiften\nbli klar först."
    ),
    "Queues to serve, comma-separated (imports, warm, exports, interactive), or * for all.": (
        "Köer att betjäna, kommaseparerade (imports, warm, exports, interactive), eller * för alla."
    ),
    "Run what is queued, then stop.": "Kör det som står i kön och stoppa sedan.",
    "Seconds between looks at an empty queue.": "Sekunder mellan titt i en tom kö.",
}


def click_msgids() -> list[tuple[str, str | None]]:
    """Every (msgid, msgid_plural) in the installed click's source, through xgettext."""
    sources = sorted(str(p) for p in Path(click.__file__).parent.glob("*.py"))
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "click.pot"
        xgettext = shutil.which("xgettext") or "/usr/bin/xgettext"  # GNU gettext (make setup)
        subprocess.run(  # noqa: S603 (fixed arguments: click's own files)
            [xgettext, "-L", "Python", "--keyword=_", "--keyword=ngettext:1,2",
             "--from-code=utf-8", "-o", str(pot), *sources],
            check=True,
        )  # fmt: skip
        found = [(e.msgid, e.msgid_plural or None) for e in polib.pofile(str(pot))]
    return found + [(msgid, None) for msgid in CLICK_DYNAMIC]


def help_msgids(root: click.Command) -> list[str]:
    """Every help text of the command tree below root, cleaned as click shows it."""
    found: list[str] = []

    def add(text: str | None) -> None:
        if text and (clean := inspect.cleandoc(text)) not in found:
            found.append(clean)

    def walk(command: click.Command) -> None:
        add(command.help)
        add(command.short_help)
        for param in command.params:
            add(getattr(param, "help", None))
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                walk(sub)

    walk(root)
    return found


def catalogue(root: click.Command) -> tuple[polib.POFile, list[str]]:
    """The Swedish catalogue for click and root's help, and the msgids without Swedish."""
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "likvard-cli",
        "Language": "sv",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    missing: list[str] = []
    seen: set[str] = set()
    for msgid, plural in click_msgids():
        seen.add(msgid)
        if plural:
            forms = {0: CLICK_SV.get(msgid, ""), 1: CLICK_SV.get(plural, "")}
            po.append(polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural=forms))
            missing += [m for m in (msgid, plural) if m not in CLICK_SV]
        else:
            po.append(polib.POEntry(msgid=msgid, msgstr=CLICK_SV.get(msgid, "")))
            missing += [msgid] if msgid not in CLICK_SV else []
    for msgid in help_msgids(root):
        if msgid not in seen:
            seen.add(msgid)
            po.append(polib.POEntry(msgid=msgid, msgstr=HELP_SV.get(msgid, "")))
            missing += [msgid] if msgid not in HELP_SV else []
    return po, missing


def main() -> int:
    """Write the catalogue; exit 1 (listing them) when a msgid has no Swedish."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "likvard.settings.dev")
    import django  # noqa: PLC0415 (the command tree needs Django set up)

    django.setup()
    from likvard.cli.main import command_tree  # noqa: PLC0415

    po, missing = catalogue(command_tree())
    PO.parent.mkdir(parents=True, exist_ok=True)
    po.wrapwidth = 0
    po.save(str(PO))
    for msgid in missing:
        sys.stderr.write(f"no Swedish for: {msgid!r}\n")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
