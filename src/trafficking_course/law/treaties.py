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
