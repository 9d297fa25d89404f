"""Fill the Swedish catalogue from the table below; run after `make messages`.

The table is the reviewed source of the Swedish UI text. Entries already translated in the
.po file are kept; a msgid missing here and in the .po file is reported, and the catalogue
test fails on it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]  # no stubs published

PO = Path(__file__).resolve().parents[1] / "src/likvard/locale/sv/LC_MESSAGES/django.po"

SV: dict[str, str] = {
    "Administrator": "Administratör",
    "Regional coordinator": "Regional samordnare",
    "Organizer analyst": "Analytiker hos huvudman",
    "Principal": "Rektor",
    "Network secretary": "Nätverkssekreterare",
    "Network member": "Nätverksmedlem",
    "role assignment": "rolltilldelning",
    "role assignments": "rolltilldelningar",
    "API token": "API-nyckel",
    "API tokens": "API-nycklar",
    "audit event": "loggad läsning",
    "audit events": "loggade läsningar",
    "Enter a four-digit municipality code.": "Ange en fyrsiffrig kommunkod.",
    "Enter an eight-digit school unit code.": "Ange en åttasiffrig skolenhetskod.",
    "Enter a ten-digit organisation number.": "Ange ett tiosiffrigt organisationsnummer.",
    "Municipal": "Kommunal",
    "Private": "Enskild",
    "State": "Statlig",
    "Region": "Region",
    "National vocational programme": "Nationellt yrkesprogram",
    "Higher education preparatory programme": "Högskoleförberedande program",
    "Introduction programme": "Introduktionsprogram",
    "county": "län",
    "counties": "län",
    "municipality": "kommun",
    "municipalities": "kommuner",
    "Smallest group shown for a school unit.": "Minsta grupp som visas för en skolenhet.",
    "Smallest group shown for an organizer, municipality or region.": "Minsta grupp som visas för en huvudman, kommun eller region.",
    "region": "region",
    "regions": "regioner",
    "For a municipal organizer: the municipality it is.": "För en kommunal huvudman: den kommun det gäller.",
    "organizer": "huvudman",
    "organizers": "huvudmän",
    "School forms run at the unit.": "Skolformer som bedrivs vid enheten.",
    "school unit": "skolenhet",
    "school units": "skolenheter",
    "programme": "program",
    "programmes": "program",
    "Start": "Start",
    "Regions": "Regioner",
    "Audit log": "Granskningslogg",
    "Administration": "Administration",
    "Wrong username or password. Note that both fields may be case-sensitive.": "Fel användarnamn eller lösenord. Tänk på att stora och små bokstäver kan spela roll.",
    "This account is inactive.": "Kontot är inaktiverat.",
    "Too many failed sign-in attempts. Wait a few minutes and try again.": "För många misslyckade inloggningsförsök. Vänta några minuter och försök igen.",
    "Browse": "Bläddra",
    "You can browse regions, organizers and school units.": "Du kan bläddra bland regioner, huvudmän och skolenheter.",
    "All regions": "Alla regioner",
    "%(count)d municipalities": "%(count)d kommuner",
    "Your region": "Din region",
    "Follow up the region's municipalities and organizers. Figures from other organizers "
    "are shown with small groups hidden.": "Följ upp regionens kommuner och huvudmän. Andra huvudmäns siffror visas med små "
    "grupper dolda.",
    "You analyse your own organizer's student-level data and compare with others.": "Du analyserar din egen huvudmans data på elevnivå och jämför med andra.",
    "Your organizer: student-level data in full": "Din huvudman: data på elevnivå i sin helhet",
    "Your organizer": "Din huvudman",
    "Your school units": "Dina skolenheter",
    "Follow up your own school units.": "Följ upp dina egna skolenheter.",
    "Manage people, roles and reference data, and read the audit log.": "Hantera personer, roller och referensdata, och läs granskningsloggen.",
    "Sign in": "Logga in",
    "Sign in to Likvärd": "Logga in i Likvärd",
    "Likvärd brings together the quality follow-up of school organizers and their "
    "regional networks.": "Likvärd samlar huvudmännens och de regionala nätverkens kvalitetsuppföljning på "
    "ett ställe.",
    "Username": "Användarnamn",
    "Password": "Lösenord",
    "Every read of student-level data is recorded here: who, what, when and why.": "Varje läsning av data på elevnivå loggas här: vem, vad, när och varför.",
    "When": "När",
    "Who": "Vem",
    "What": "Vad",
    "Scope": "Omfattning",
    "Purpose": "Syfte",
    "No reads have been recorded.": "Inga läsningar har loggats.",
    "Skip to content": "Hoppa till innehållet",
    "Main menu": "Huvudmeny",
    "Sign out": "Logga ut",
    "Likvärd – quality follow-up for school organizers and their regions.": "Likvärd – kvalitetsuppföljning för skolhuvudmän och deras regioner.",
    "Error %(status)s": "Fel %(status)s",
    "Page not found": "Sidan finns inte",
    "Not allowed": "Ingen behörighet",
    "Bad request": "Felaktig begäran",
    "Something went wrong": "Något gick fel",
    "Go to the start page": "Gå till startsidan",
    "Welcome, %(name)s": "Välkommen, %(name)s",
    "Nothing has been assigned to you here yet. Ask your administrator.": "Inget har tilldelats dig här ännu. Kontakta din administratör.",
    "Breadcrumbs": "Brödsmulor",
    "Municipality code %(code)s, %(county)s.": "Kommunkod %(code)s, %(county)s.",
    "Organizers with school units here": "Huvudmän med skolenheter här",
    "Organizers": "Huvudmän",
    "Organizer": "Huvudman",
    "Type": "Typ",
    "School units": "Skolenheter",
    "No school units are registered in this municipality.": "Inga skolenheter är registrerade i kommunen.",
    "Organisation number": "Organisationsnummer",
    "You analyse this organizer: its student-level data is shown to you in full, and your "
    "reads are recorded in the audit log.": "Du analyserar den här huvudmannen: dess data på elevnivå visas för dig i sin helhet, "
    "och dina läsningar loggas i granskningsloggen.",
    "School unit": "Skolenhet",
    "Code": "Kod",
    "Municipality": "Kommun",
    "No school units are registered for this organizer.": "Inga skolenheter är registrerade för huvudmannen.",
    "Member municipalities": "Medlemskommuner",
    "County": "Län",
    "Regions are collaborations of municipalities, such as Göteborgsregionen.": "Regioner är samverkansområden mellan kommuner, till exempel Göteborgsregionen.",
    "Municipalities": "Kommuner",
    "No regions have been added.": "Inga regioner har lagts till.",
    "School unit code": "Skolenhetskod",
    "School forms": "Skolformer",
    "Year groups": "Årskurser",
    "Pupils (register 2020)": "Elever (registret 2020)",
    "Programmes": "Program",
    "There is no region with that code.": "Det finns ingen region med den koden.",
    "There is no municipality with that code.": "Det finns ingen kommun med den koden.",
    "There is no organizer with that organisation number.": "Det finns ingen huvudman med det organisationsnumret.",
    "There is no school unit with that code.": "Det finns ingen skolenhet med den koden.",
    "The request could not be understood. Check what you entered and try again.": "Begäran kunde inte tolkas. Kontrollera det du fyllde i och försök igen.",
    "You do not have permission to see this page.": "Du har inte behörighet att se den här sidan.",
    "The page you asked for does not exist. Check the address or go to the start.": "Sidan du bad om finns inte. Kontrollera adressen eller gå till startsidan.",
    "Something went wrong on our side. The error has been logged; try again later.": "Något gick fel hos oss. Felet har loggats; försök igen senare.",
    "The form had expired or lacked its security token. Reload the page and try again.": "Formuläret hade gått ut eller saknade sin säkerhetskod. Ladda om sidan och försök igen.",
    "Committed": "Inläst",
    "Withdrawn": "Återkallad",
    "Rows per fact table.": "Rader per faktatabell.",
    "Parquet paths per fact table.": "Parquet-filer per faktatabell.",
    "import batch": "importerad fil",
    "import batches": "importerade filer",
    "data version": "dataversion",
    "data versions": "dataversioner",
    "Import history": "Importhistorik",
    "File": "Fil",
    "Kind": "Slag",
    "Rows": "Rader",
    "Status": "Status",
    "Nothing has been imported yet.": "Inget har importerats ännu.",
    "Students of %(name)s": "Elever hos %(name)s",
    "Enrolled students: %(name)s": "Inskrivna elever: %(name)s",
    "Enrolled students": "Inskrivna elever",
    "You see this organizer's own student-level data in full. This read has been recorded in the audit log.": "Du ser huvudmannens egna data på elevnivå i sin helhet. Läsningen har loggats i granskningsloggen.",
    "Groups with fewer students than the minimum are hidden (shown as ..), together with any cell that would let a hidden one be worked out.": "Grupper med färre elever än minsta gruppstorlek döljs (visas som ..), liksom celler som skulle göra det möjligt att räkna fram en dold.",
    "Students on 15 October per school year, school unit and gender": "Elever den 15 oktober per läsår, skolenhet och kön",
    "School year": "Läsår",
    "Gender": "Kön",
    "Girls": "Flickor",
    "Boys": "Pojkar",
    "Students": "Elever",
    "Too few students to show": "För få elever för att visas",
    "No student-level data has been imported for this organizer.": "Inga data på elevnivå har importerats för den här huvudmannen.",
    "The organizer whose student-level data the batch holds, if any.": "Huvudmannen vars data på elevnivå filen innehåller, om någon.",
}

PLURALS: dict[str, dict[int, str]] = {
    "%(counter)s member municipality": {
        0: "%(counter)s medlemskommun",
        1: "%(counter)s medlemskommuner",
    },
}


def main() -> int:
    """Fill missing Swedish translations; report msgids that have none."""
    catalogue = polib.pofile(str(PO))
    catalogue.metadata["Language"] = "sv"
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in catalogue:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid_plural:
            if entry.msgid in PLURALS:
                entry.msgstr_plural = PLURALS[entry.msgid]
            elif not all(entry.msgstr_plural.values()):
                missing.append(entry.msgid)
        elif entry.msgid in SV:
            entry.msgstr = SV[entry.msgid]
        elif not entry.msgstr:
            missing.append(entry.msgid)
    catalogue.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)  # noqa: T201
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
