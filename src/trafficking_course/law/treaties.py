"""The treaty texts the course quotes, verbatim, so that every quotation can be checked.

Source: United Nations, Protocol to Prevent, Suppress and Punish Trafficking in Persons,
Especially Women and Children, and Protocol against the Smuggling of Migrants by Land, Sea and
Air, both supplementing the UN Convention against Transnational Organized Crime (General
Assembly resolution A/RES/55/25, 15 November 2000). tests/test_treaties.py checks that every
quotation in a notebook is word for word one of these paragraphs.
"""

from __future__ import annotations

TRAFFICKING_ART3 = {
    "a": '(a) "Trafficking in persons" shall mean the recruitment, transportation, transfer, '
    "harbouring or receipt of persons, by means of the threat or use of force or other forms of "
    "coercion, of abduction, of fraud, of deception, of the abuse of power or of a position of "
    "vulnerability or of the giving or receiving of payments or benefits to achieve the consent "
    "of a person having control over another person, for the purpose of exploitation. "
    "Exploitation shall include, at a minimum, the exploitation of the prostitution of others "
    "or other forms of sexual exploitation, forced labour or services, slavery or practices "
    "similar to slavery, servitude or the removal of organs;",
    "b": "(b) The consent of a victim of trafficking in persons to the intended exploitation set "
    "forth in subparagraph (a) of this article shall be irrelevant where any of the means set "
    "forth in subparagraph (a) have been used;",
    "c": "(c) The recruitment, transportation, transfer, harbouring or receipt of a child for the "
    'purpose of exploitation shall be considered "trafficking in persons" even if this does not '
    "involve any of the means set forth in subparagraph (a) of this article;",
    "d": '(d) "Child" shall mean any person under eighteen years of age.',
}

SMUGGLING_ART3 = {
    "a": '(a) "Smuggling of migrants" shall mean the procurement, in order to obtain, directly '
    "or indirectly, a financial or other material benefit, of the illegal entry of a person into "
    "a State Party of which the person is not a national or a permanent resident;",
    "b": '(b) "Illegal entry" shall mean crossing borders without complying with the necessary '
    "requirements for legal entry into the receiving State;",
}

#: Every verbatim paragraph, for checking quotations.
PARAGRAPHS = {
    **{f"Trafficking Protocol, Art. 3({k})": v for k, v in TRAFFICKING_ART3.items()},
    **{f"Smuggling Protocol, Art. 3({k})": v for k, v in SMUGGLING_ART3.items()},
}

#: Norwegian statute texts the course quotes, verbatim in the original Norwegian (the course
#: gives its own English summary beside each). Sources: Straffeloven (Lov 20. mai 2005 nr. 28,
#: in force 1 October 2015) ss. 257 (first paragraph) and 258, as reproduced by the Norwegian
#: government's anti-trafficking site menneskertilsalgs.no and in NOU 2024: 13, annex 1;
#: Utlendingsforskriften ss. 8-3 and 8-4 (first paragraphs), as published by UDI at
#: udiregelverk.no. "holdepunker" in s. 8-3 is spelled as in the UDI copy.
NORWAY = {
    "Penal Code 2005, s. 257 (first paragraph)": "Den som ved vold, trusler, misbruk av sårbar "
    "situasjon eller annen utilbørlig atferd tvinger, utnytter eller forleder en person til "
    "a) prostitusjon eller andre seksuelle ytelser, b) arbeid eller tjenester, herunder "
    "tigging, c) krigstjeneste i fremmed land eller d) å samtykke i fjerning av et av "
    "vedkommendes indre organer, straffes for menneskehandel med fengsel i inntil 6 år.",
    "Penal Code 2005, s. 258": "Grov menneskehandel straffes med fengsel inntil 10 år. Ved "
    "avgjørelsen av om overtredelsen er grov skal det særlig legges vekt på om den som ble "
    "utsatt for handlingen var under 18 år, om det ble brukt grov vold eller tvang og om "
    "handlingen har medført betydelig utbytte.",
    "Immigration Regulations, s. 8-3 (first paragraph)": "Når det foreligger holdepunker for "
    "at en utlending som oppholder seg i riket er utsatt for menneskehandel og er innstilt på "
    "å motta hjelp og følge opp tiltak som myndighetene tilbyr, kan det innvilges "
    "oppholdstillatelse (refleksjonsperiode) som ikke danner grunnlag for permanent "
    "oppholdstillatelse etter nærmere retningslinjer som gis av Utlendingsdirektoratet.",
    "Immigration Regulations, s. 8-4 (first paragraph)": "En utlending som søker beskyttelse "
    "etter å ha avgitt vitneforklaring som fornærmet i en rettssak hvor det er tatt ut tiltale "
    "etter straffeloven § 257 (menneskehandel), skal innvilges oppholdstillatelse som danner "
    "grunnlag for permanent oppholdstillatelse etter utlendingsloven § 38, med mindre "
    "a) utlendingen fyller vilkårene for beskyttelse etter lovens § 28, eller b) særlige "
    "grunner taler mot at tillatelse gis.",
}

PARAGRAPHS.update(NORWAY)
