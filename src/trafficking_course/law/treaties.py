"""The treaty and statute texts the course quotes, verbatim, so that every quotation can be checked.

One dict per instrument (keys name the instrument and article as the course cites them), merged
into PARAGRAPHS. A text is kept here only if it was read word for word in a copy of the source;
where that copy was secondary (a blog, a gazette, a parliamentary question quoting the text), the
dict's comment says so, and the text should be checked against the official version (UN Treaty
Series, CoE, EUR-Lex) before it is relied on in court or print. tests/test_treaties.py checks that
every blockquote paragraph in a notebook of course/ or notebooks/ is an exact excerpt of one of
these texts.

Sources: the UN Convention against Transnational Organized Crime (Art. 2) and its two Palermo
Protocols, General Assembly resolution A/RES/55/25 (15 November 2000);
the Convention relating to the Status of Refugees (1951); the Council of Europe Convention on
Action against Trafficking in Human Beings (CETS No. 197, 2005); Directive 2011/36/EU; Council
Directive 2002/90/EC; the interpretative notes for the official records (travaux preparatoires)
of the negotiation of the Convention and its Protocols, A/55/383/Add.1 (2000); and, in
Norwegian, the Penal Code 2005 ss. 257-258 and the Immigration Regulations ss. 8-3 and 8-4.
"""

from __future__ import annotations

#: Trafficking Protocol, Art. 2 (statement of purpose), subparagraphs (a) to (c) in one paragraph.
TRAFFICKING_ART2 = {
    "Trafficking Protocol, Art. 2": (
        '(a) To prevent and combat trafficking in persons, paying particular attention to women '
        'and children; (b) To protect and assist the victims of such trafficking, with full '
        'respect for their human rights; and (c) To promote cooperation among States Parties in '
        'order to meet those objectives.'
    ),
}

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


#: Trafficking Protocol, Art. 4 (scope). Read in secondary copies of the Protocol's text.
TRAFFICKING_PROTOCOL_LAYERS = {
    'Trafficking Protocol, Art. 4': (
        'This Protocol shall apply, except as otherwise stated herein, to the prevention, '
        'investigation and prosecution of the offences established in accordance with article 5 '
        'of this Protocol, where those offences are transnational in nature and involve an '
        'organized criminal group, as well as to the protection of victims of such offences.'
    ),
}

#: UN Convention against Transnational Organized Crime (A/RES/55/25, annex I), Art. 2(a)-(c):
#: read in a copy of the Convention's advance authentic text and in the contents of McClean's
#: commentary (OUP), which agree word for word (tests/fixtures/sources/untoc-art-2.md).
UNTOC = {
    'UNTOC, Art. 2(a)': (
        '(a) “Organized criminal group” shall mean a structured group of three or more '
        'persons, existing for a period of time and acting in concert with the aim of committing '
        'one or more serious crimes or offences established in accordance with this Convention, '
        'in order to obtain, directly or indirectly, a financial or other material benefit;'
    ),
    'UNTOC, Art. 2(b)': (
        '(b) “Serious crime” shall mean conduct constituting an offence punishable by a '
        'maximum deprivation of liberty of at least four years or a more serious penalty;'
    ),
    'UNTOC, Art. 2(c)': (
        '(c) “Structured group” shall mean a group that is not randomly formed for the '
        'immediate commission of an offence and that does not need to have formally defined '
        'roles for its members, continuity of its membership or a developed structure;'
    ),
}

#: The interpretative note on prostitution (A/55/383/Add.1), as quoted by OHCHR, *Abolishing
#: Slavery and its Contemporary Forms* (2002), para. 75; "[Trafficking]" is OHCHR's insertion.
#: The note on abuse of a position of vulnerability is known only by the words quoted from it
#: (UNODC Education for Justice, Module 6; UN Women, 2011), kept here as a phrase.
INTERPRETATIVE_NOTES = {
    "Interpretative notes (A/55/383/Add.1), abuse of a position of vulnerability": (
        "has no real and acceptable alternative but to submit to the abuse involved"
    ),
    'Interpretative notes (A/55/383/Add.1), prostitution': (
        'the Protocol addresses the exploitation of prostitution of others and other forms of '
        'sexual exploitation only in the context of trafficking in persons. The terms '
        "'exploitation of the prostitution of others' or 'other forms of sexual exploitation' are"
        ' not defined in the [Trafficking] Protocol, which is therefore without prejudice to how '
        'States Parties address prostitution in their respective domestic laws.'
    ),
}

#: Smuggling Protocol, Arts 2, 6(4) and 19(1) (copies of the UN text; Art. 19 from UNODC,
#: Travaux Preparatoires (2006), p. 554).
SMUGGLING_PROTOCOL_LAYERS = {
    'Smuggling Protocol, Art. 2': (
        'The purpose of this Protocol is to prevent and combat the smuggling of migrants, as well'
        ' as to promote cooperation among States Parties to that end, while protecting the rights'
        ' of smuggled migrants.'
    ),
    'Smuggling Protocol, Art. 6(4)': (
        'Nothing in this Protocol shall prevent a State Party from taking measures against a '
        'person whose conduct constitutes an offence under its domestic law.'
    ),
    'Smuggling Protocol, Art. 19(1)': (
        'Nothing in this Protocol shall affect the other rights, obligations and responsibilities'
        ' of States and individuals under international law, including international humanitarian'
        ' law and international human rights law and, in particular, where applicable, the 1951 '
        'Convention and the 1967 Protocol relating to the Status of Refugees and the principle of'
        ' non-refoulement as contained therein.'
    ),
}

#: Convention relating to the Status of Refugees (1951), Arts 31 and 33 (Art. 31 as quoted by
#: Goodwin-Gill, in Feller, Turk and Nicholson (eds), Refugee Protection in International
#: Law, 2003).
REFUGEE_CONVENTION = {
    'Refugee Convention, Art. 31(1)': (
        '1. The Contracting States shall not impose penalties, on account of their illegal entry '
        'or presence, on refugees who, coming directly from a territory where their life or '
        'freedom was threatened in the sense of Article 1, enter or are present in their '
        'territory without authorization, provided they present themselves without delay to the '
        'authorities and show good cause for their illegal entry or presence.'
    ),
    'Refugee Convention, Art. 31(2)': (
        '2. The Contracting States shall not apply to the movements of such refugees restrictions'
        ' other than those which are necessary and such restrictions shall only be applied until '
        'their status in the country is regularized or they obtain admission into another '
        'country. The Contracting States shall allow such refugees a reasonable period and all '
        'the necessary facilities to obtain admission into another country.'
    ),
    'Refugee Convention, Art. 33(1)': (
        'No Contracting State shall expel or return ("refouler") a refugee in any manner '
        'whatsoever to the frontiers of territories where his life or freedom would be threatened'
        ' on account of his race, religion, nationality, membership of a particular social group '
        'or political opinion.'
    ),
    'Refugee Convention, Art. 33(2)': (
        'The benefit of the present provision may not, however, be claimed by a refugee whom '
        'there are reasonable grounds for regarding as a danger to the security of the country in'
        ' which he is, or who, having been convicted by a final judgment of a particularly '
        'serious crime, constitutes a danger to the community of that country.'
    ),
}

#: Council of Europe Convention on Action against Trafficking in Human Beings (2005), Arts 12(1)
#: and 14(1), from a secondary copy (Nordic Baltic Network). Arts 4, 10, 13 and 26 were read only
#: in paraphrase or with elisions, so the course states them in its own words.
COE_CONVENTION = {
    'Council of Europe Convention, Art. 12(1)': (
        'Each Party shall adopt such legislative or other measures as may be necessary to assist '
        'victims in their physical, psychological and social recovery. Such assistance shall '
        'include at least: a) standards of living capable of ensuring their subsistence, through '
        'such measures as: appropriate and secure accommodation, psychological and material '
        'assistance; b) access to emergency medical treatment; c) translation and interpretation '
        'services, when appropriate; d) counselling and information, in particular as regards '
        'their legal rights and the services available to them, in a language that they can '
        'understand; e) assistance to enable their rights and interests to be presented and '
        'considered at appropriate stages of criminal proceedings against offenders; f) access to'
        ' education for children.'
    ),
    'Council of Europe Convention, Art. 14(1)': (
        'Each Party shall issue a renewable residence permit to victims, in one or other of the '
        'two following situations or in both: a) the competent authority considers that their '
        'stay is necessary owing to their personal situation; b) the competent authority '
        'considers that their stay is necessary for the purpose of their co-operation with the '
        'competent authorities in investigation or criminal proceedings.'
    ),
}

#: Directive 2011/36/EU, Arts 2(1), 2(2) (EU European Migration Network glossary) and 8 (an
#: EN/FR parallel text).
EU_DIRECTIVE_2011_36 = {
    'Directive 2011/36/EU, Art. 2(1)': (
        'The recruitment, transportation, transfer, harbouring or reception of persons, including'
        ' the exchange or transfer of control over those persons, by means of the threat or use '
        'of force or other forms of coercion, of abduction, of fraud, of deception, of the abuse '
        'of power or of a position of vulnerability or of the giving or receiving of payments or '
        'benefits to achieve the consent of a person having control over another person, for the '
        'purpose of exploitation.'
    ),
    'Directive 2011/36/EU, Art. 2(2)': (
        'A position of vulnerability means a situation in which the person concerned has no real '
        'or acceptable alternative but to submit to the abuse involved.'
    ),
    'Directive 2011/36/EU, Art. 8': (
        'Member States shall, in accordance with the basic principles of their legal systems, '
        'take the necessary measures to ensure that competent national authorities are entitled '
        'not to prosecute or impose penalties on victims of trafficking in human beings for their'
        ' involvement in criminal activities which they have been compelled to commit as a direct'
        ' consequence of being subjected to any of the acts referred to in Article 2.'
    ),
}

#: Council Directive 2002/90/EC (the Facilitation Directive), Art. 1(1), as quoted in European
#: Parliament question O-000065/2018. Art. 1(2) (the humanitarian option) was read only in a
#: summary.
FACILITATION_DIRECTIVE = {
    'Directive 2002/90/EC, Art. 1(1)': (
        'a) any person who intentionally assists a person who is not a national of a Member State'
        ' to enter, or transit across, the territory of a Member State in breach of the laws of '
        'the State concerned on the entry or transit of aliens; b) any person who, for financial '
        'gain, intentionally assists a person who is not a national of a Member State to reside '
        'within the territory of a Member State in breach of the laws of the State concerned on '
        'the residence of aliens.'
    ),
}


#: Convention for the Suppression of the Traffic in Persons and of the Exploitation of the
#: Prostitution of Others (approved by the General Assembly on 2 December 1949, in force 25 July
#: 1951), Arts 1, 2 and 6, each article's numbered points run together in one paragraph. Read
#: in two public copies of the English text that agree word for word (lawin.org, lawi.us), kept
#: as tests/fixtures/sources/convention-1949-arts-1-2-6.md; not checked against the UNTS.
CONVENTION_1949 = {
    "1949 Convention, Art. 1": (
        "The Parties to the present Convention agree to punish any person who, to gratify the "
        "passions of another: 1. Procures, entices or leads away, for purposes of prostitution, "
        "another person, even with the consent of that person; 2. Exploits the prostitution of "
        "another person, even with the consent of that person."
    ),
    "1949 Convention, Art. 2": (
        "The Parties to the present Convention further agree to punish any person who: 1. Keeps "
        "or manages, or knowingly finances or takes part in the financing of a brothel; 2. "
        "Knowingly lets or rents a building or other place or any part thereof for the purpose "
        "of the prostitution of others."
    ),
    "1949 Convention, Art. 6": (
        "Each Party to the present Convention agrees to take all the necessary measures to "
        "repeal or abolish any existing law, regulation or administrative provision by virtue of "
        "which persons who engage in or are suspected of engaging in prostitution are subject "
        "either to special registration or to the possession of a special document or to any "
        "exceptional requirements for supervision or notification."
    ),
}

#: Texts quoted in module 6 for the round-1 review (read 7 December 2026; excerpts and where
#: they were read in tests/fixtures/sources/modules-5-6-round1-sources.md): CEDAW Art. 6, as
#: reproduced in the Oxford commentary on CEDAW (p. 169); the 1910 White Slave Traffic
#: Convention, Arts 1 and 2, in the University of Minnesota Human Rights Library's copy (as
#: amended by the Protocol of 4 May 1949).
CEDAW_AND_1910 = {
    "CEDAW, Art. 6": (
        "States Parties shall take all appropriate measures, including legislation, to suppress "
        "all forms of traffic in women and exploitation of prostitution of women."
    ),
    "1910 Convention, Art. 1": (
        "Whoever, in order to gratify the passions of another person, has procured, enticed, or "
        "led away, even with her consent, a woman or girl under age, for immoral purposes, shall "
        "be punished, notwithstanding that the various acts constituting the offence may have "
        "been committed in different countries."
    ),
    "1910 Convention, Art. 2": (
        "Whoever, in order to gratify the passions of another person, has, by fraud, or by means "
        "of violence, threats, abuse of authority, or any other method of compulsion, procured, "
        "enticed, or led away a woman or girl over age, for immoral purposes, shall also be "
        "punished, notwithstanding that the various acts constituting the offence may have been "
        "committed in different countries."
    ),
}

#: Norwegian statute texts the course quotes, verbatim in the original Norwegian (the course
#: gives its own English summary beside each). Sources: Straffeloven (Lov 20. mai 2005 nr. 28,
#: in force 1 October 2015) s. 257 (first paragraph) as NOU 2024: 13 quotes it as in force
#: (annex 1, separate note by Christoffersen and Rui, point 1.2 "Gjeldende rett", read on
#: regjeringen.no, kept as tests/fixtures/sources/nou-2024-13-annex-1.md; its letters a.-d.
#: set out as a list there); s. 258 (first two sentences) as
#: reproduced on the anti-trafficking information site menneskertilsalgs.no, whose copy of
#: s. 257 differs: letter b) "arbeid eller tjenester" and "fengsel i inntil 6 år".
#: The site's s. 258 has a third sentence (on ignorance of the victim's age) not kept here;
#: Utlendingsforskriften ss. 8-3 and 8-4 (first paragraphs), as published by UDI at
#: udiregelverk.no. "holdepunker" in s. 8-3 is spelled as in the UDI copy.
NORWAY = {
    "Penal Code 2005, s. 257 (first paragraph)": "Den som ved vold, trusler, misbruk av sårbar "
    "situasjon eller annen utilbørlig atferd tvinger, utnytter eller forleder en person til "
    "a. prostitusjon eller andre seksuelle ytelser, b. tvangsarbeid eller tvangstjenester, "
    "herunder tigging, c. krigstjeneste i fremmed land, eller d. å samtykke i fjerning av et av "
    "vedkommendes indre organer, straffes for menneskehandel med fengsel inntil 6 år.",
    "Penal Code 2005, s. 258 (first two sentences)": "Grov menneskehandel straffes med fengsel "
    "inntil 10 år. Ved avgjørelsen av om overtredelsen er grov skal det særlig legges vekt på "
    "om den som ble utsatt for handlingen var under 18 år, om det ble brukt grov vold eller "
    "tvang og om handlingen har medført betydelig utbytte.",
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
    # Penal Code 2005, s. 2, as published by Lovdata (chapter 1), kept in
    # tests/fixtures/sources/modules-3-4-round3-sources.md (module 4).
    "Penal Code 2005, s. 2": "Straffelovgivningen gjelder med de begrensninger som følger av "
    "overenskomster med fremmede stater eller av folkeretten for øvrig.",
    # Penal Code 2005, s. 3 (first paragraph), as reproduced in a copy of the Act at
    # samfunnet.org ("Sist endret Lov-2018-06-17-37"), kept in
    # tests/fixtures/sources/module-9-round1-review-sources.md (module 9).
    "Penal Code 2005, s. 3 (first paragraph)": "Straffelovgivningen på handlingstidspunktet "
    "anvendes. Likevel anvendes lovgivningen på tidspunktet for avgjørelsen når dette fører til "
    "et gunstigere resultat for den siktede og lovendringen skyldes et endret syn på hvilke "
    "handlinger som bør straffes, eller på bruken av strafferettslige reaksjoner.",
}


#: Supplementary Convention on the Abolition of Slavery, the Slave Trade, and Institutions and
#: Practices Similar to Slavery (Geneva, 7 September 1956), Art. 1(a) (debt bondage) and 1(c)
#: (servile marriage, its sub-items run together), from a public copy of the treaty text, kept as
#: tests/fixtures/sources/supplementary-convention-1956-art-1.md.
SUPPLEMENTARY_CONVENTION_1956 = {
    "Supplementary Convention (1956), Art. 1(a)": (
        "(a) Debt bondage, that is to say, the status or condition arising from a pledge by a "
        "debtor of his personal services or of those of a person under his control as security "
        "for a debt, if the value of those services as reasonably assessed is not applied towards"
        " the liquidation of the debt or the length and nature of those services are not "
        "respectively limited and defined;"
    ),
    "Supplementary Convention (1956), Art. 1(c)": (
        "(c) Any institution or practice whereby: (i) A woman, without the right to refuse, is "
        "promised or given in marriage on payment of a consideration in money or in kind to her "
        "parents, guardian, family or any other person or group; or (ii) The husband of a woman, "
        "his family, or his clan, has the right to transfer her to another person for value "
        "received or otherwise; or (iii) A woman on the death of her husband is liable to be "
        "inherited by another person;"
    ),
    # Art. 1(b) and 1(d), kept in tests/fixtures/sources/modules-1-2-second-reading.md (1(d) from
    # two copies that agree where both run; check its end against 226 UNTS 3 before print).
    "Supplementary Convention (1956), Art. 1(b)": (
        "(b) Serfdom, that is to say, the condition or status of a tenant who is by law, custom "
        "or agreement bound to live and labour on land belonging to another person and to render "
        "some determinate service to such other person, whether for reward or not, and is not "
        "free to change his status;"
    ),
    "Supplementary Convention (1956), Art. 1(d)": (
        "(d) Any institution or practice whereby a child or young person under the age of 18 "
        "years is delivered by either or both of his natural parents or by his guardian to "
        "another person, whether for reward or not, with a view to the exploitation of the child "
        "or young person or of his labour."
    ),
}


#: Texts read for modules 3 and 4 beyond the reference briefs, each kept with where and when it was
#: read in tests/fixtures/sources/: the Smuggling Protocol's Art. 6(1) (UNODC Education for Justice,
#: Module 1) and the interpretative note on "financial or other material benefit" (A/55/383/Add.1,
#: as quoted in UNODC's 2017 Issue Paper; the part intact in the copy read, from "was included"),
#: smuggling-protocol-art-3c-6-1-and-benefit-note.md; UNCLOS Art. 98(1)(a)-(b),
#: rescue-at-sea-and-facilitation-guidance.md.
SMUGGLING_AND_RESCUE = {
    "Smuggling Protocol, Art. 6(1)": (
        "1. Each State Party shall adopt such legislative and other measures as may be necessary "
        "to establish as criminal offences, when committed intentionally and in order to obtain, "
        "directly or indirectly, a financial or other material benefit: (a) The smuggling of "
        "migrants; (b) When committed for the purpose of enabling the smuggling of migrants: "
        "(i) Producing a fraudulent travel or identity document; (ii) Procuring, providing or "
        "possessing such a document; (c) Enabling a person who is not a national or a permanent "
        "resident to remain in the State concerned without complying with the necessary "
        "requirements for legally remaining in the State by the means mentioned in subparagraph "
        "(b) of this paragraph or any other illegal means."
    ),
    "Interpretative notes (A/55/383/Add.1), financial or other material benefit": (
        "was included in order to emphasize that the intention was to include the activities of "
        "organized criminal groups acting for profit, but to exclude the activities of those who "
        "provided support to migrants for humanitarian reasons or on the basis of close family "
        "ties. It was not the intention of the Protocol to criminalize the activities of family "
        "members or support groups such as religious or non-governmental organizations."
    ),
    "UNCLOS, Art. 98(1)(a)-(b)": (
        "1. Every State shall require the master of a ship flying its flag, in so far as he can do"
        " so without serious danger to the ship, the crew or the passengers: (a) to render "
        "assistance to any person found at sea in danger of being lost; (b) to proceed with all "
        "possible speed to the rescue of persons in distress, if informed of their need of "
        "assistance, in so far as such action may reasonably be expected of him;"
    ),
}

#: Words of decisions the course quotes, read in copies kept with where and when in
#: tests/fixtures/sources/decisions-modules-3-4.md: R v Asfaw [2008] UKHL 31, para. 1 (the question
#: certified by the Court of Appeal, as Lord Bingham sets it out); V.C.L. and A.N. v. the United
#: Kingdom (2021), a sentence of the Court's Information Note 248 (a summary by the Court's
#: Registry, not the judgment's own words).
DECISIONS = {
    "R v Asfaw [2008] UKHL 31, para. 1": (
        "If a defendant is charged with an offence not specified in section 31(3) of the "
        "Immigration and Asylum Act 1999, to what extent is he entitled to rely on the protections"
        " afforded by article 31 of the 1951 United Nations Convention Relating to the Status of "
        "Refugees?"
    ),
    "V.C.L. and A.N. v. the United Kingdom (2021), Information Note 248": (
        "No general prohibition on the prosecution of victims of trafficking could be construed "
        "from international anti-trafficking standards, nor could prosecuting child trafficking "
        "victims be precluded in all circumstances."
    ),
}


#: Texts read for the engine's notes on return and on smuggling's aggravating circumstances,
#: kept with where and when in tests/fixtures/sources/engine-notes-review-sources.md: the UN
#: Convention against Torture, Art. 3(1) (a UK statutory instrument's schedule; the same words in
#: Nowak, Birk and Monina's commentary); the Smuggling Protocol, Art. 6(3) (UNODC Education for
#: Justice, Module 1, Box 13); the Human Rights Committee's General Comment No. 20, para. 9 (as
#: quoted on bayefsky.com).
RETURN_AND_AGGRAVATION = {
    "Convention against Torture, Art. 3(1)": (
        "1. No State Party shall expel, return (\u201crefouler\u201d) or extradite a person to "
        "another State where there are substantial grounds for believing that he would be in "
        "danger of being subjected to torture."
    ),
    "Human Rights Committee, General Comment No. 20 (1992), para. 9": (
        "9. In the view of the Committee, States parties must not expose individuals to the "
        "danger of torture or cruel, inhuman or degrading treatment or punishment upon return to "
        "another country by way of their extradition, expulsion or refoulement."
    ),
    "Smuggling Protocol, Art. 6(3)": (
        "3. Each State Party shall adopt such legislative and other measures as may be necessary "
        "to establish as aggravating circumstances to the offences established in accordance "
        "with paragraph 1 (a), (b) (i) and (c) of this article and, subject to the basic concepts"
        " of its legal system, to the offences established in accordance with paragraph 2 (b) "
        "and (c) of this article, circumstances: (a) That endanger, or are likely to endanger, "
        "the lives or safety of the migrants concerned; or (b) That entail inhuman or degrading "
        "treatment, including for exploitation, of such migrants."
    ),
}


#: Every verbatim paragraph, for checking quotations.
PARAGRAPHS: dict[str, str] = {
    **TRAFFICKING_ART2,
    **{f"Trafficking Protocol, Art. 3({k})": v for k, v in TRAFFICKING_ART3.items()},
    **{f"Smuggling Protocol, Art. 3({k})": v for k, v in SMUGGLING_ART3.items()},
    **TRAFFICKING_PROTOCOL_LAYERS,
    **UNTOC,
    **INTERPRETATIVE_NOTES,
    **SMUGGLING_PROTOCOL_LAYERS,
    **REFUGEE_CONVENTION,
    **COE_CONVENTION,
    **EU_DIRECTIVE_2011_36,
    **FACILITATION_DIRECTIVE,
    **NORWAY,
    **CONVENTION_1949,
    **CEDAW_AND_1910,
    **SUPPLEMENTARY_CONVENTION_1956,
    **SMUGGLING_AND_RESCUE,
    **DECISIONS,
    **RETURN_AND_AGGRAVATION,
}
