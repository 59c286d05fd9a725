"""People's names in a recap: name patterns, ranks and titles, genders, and the ``Cast`` of one article."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache

from ._name_genders import FEMALE_FIRST_NAMES, MALE_FIRST_NAMES
from .quote_spans import find_quote_spans


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string (tables of words read better so)."""
    return frozenset(text.split())


_TITLE_WORDS = (
    r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Lord|Lady|Sir|Dame|Captain|Capt|Detective|Det|Officer|Agent|Sergeant|Sgt|"
    r"Aunt|Uncle|Father|Mother|Sister|Brother|Saint|St|Judge|Chief|Coach|Nurse|Doctor|Professor|King|Queen|"
    r"Prince|Princess)"
)


# Only these take a full stop ("Dr. Amadi", but "the Doctor. The Master" is two sentences): looked back at
# once a title word has matched, which costs less than a branch of their own
_ABBREVIATIONS = sorted(_words("Mr Mrs Ms Mx Dr Prof Capt Det Sgt St"))
_ABBREVIATED_TITLES = "|".join(f"(?<={title})" for title in _ABBREVIATIONS)


_NAME_WORD = r"(?:[A-Z][a-zà-ÿ’'\-]+(?:[A-Z][a-zà-ÿ’'\-]+)?|[A-Z]{3,}(?![a-z]))"


_FUNCTION_WORDS = (
    "The|A|An|And|But|Or|So|As|If|When|While|Then|After|Before|Until|Once|In|On|At|By|For|From|To|Of|With|"
    "It|Its|He|She|They|We|I|You|His|Her|Their|Our|My|Your|This|That|These|Those|There|Here|What|Where|Why|"
    "Who|How|Which|Even|Only|Also|Still|Now|Later|Meanwhile|Just|Not|No|Yes|Oh|Well|Every|All|Both|Each|"
    # a stage direction before a name: "Enter DCI Ruth Aldous, boots first" (heldout15)
    "Enter|Exit"
)


# (?=[A-Z]) first: where there is no capital the match fails on that one test, before the function-word
# lookahead (Python's engine still tries every position; it cannot skip ahead past a lookahead).
# The words of a name are on one line (``learn`` reads a body's blocks on lines of their own).
NAME = (
    rf"(?=[A-Z])(?!(?:{_FUNCTION_WORDS})\b)(?:{_TITLE_WORDS}(?:(?:{_ABBREVIATED_TITLES})\.)?[^\S\n]+)?{_NAME_WORD}"
    rf"(?:[^\S\n]+{_NAME_WORD}){{0,2}}"
)


_ACTOR_BEFORE = re.compile(r"(?:\bby|\bstar|\bactor|\bactress|\bplayed)\s*$", re.I)


_ACTOR_WORD_MAX = len("actress")  # the longest word _ACTOR_BEFORE looks for


# A verb of playing a part earlier in the clause before "by": "played (with granite reserve) by", "voiced by"
_PLAYED_BEFORE_BY = re.compile(
    r"\b(?:play(?:s|ed|ing)?|portray(?:s|ed|ing)?|voic(?:es|ed|ing)|performed|brought\s+to\s+life|"
    r"embodied|inhabited|given\s+life|cast|role|part)\b[^.;:!?()“”\"]{0,60}$",
    re.I,
)
_PLAYED_REACH = 80


_ACTOR_AFTER = re.compile(r"\s*(?:plays|played|who plays|as\b|stars\b)")  # matched at a name's end
# A name in brackets right after another (``Dana Kessler (Rachel Voss)``, ``Rachel Voss (Dana Kessler,
# furious)``): one is the character, the other the actor (see ``SpeakerContext.learn``).
_OPEN_BRACKET = re.compile(r"[^\S\n]*\([^\S\n]*")
_CLOSE_BRACKET = re.compile(r"[^\S\n]*[),]")


_NOT_NAMES = {
    "The",
    "A",
    "An",
    "And",
    "But",
    "Or",
    "So",
    "It",
    "Its",
    "It’s",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Your",
    "This",
    "That",
    "These",
    "Those",
    "Then",
    "There",
    "Here",
    "When",
    "While",
    "What",
    "Where",
    "Why",
    "Who",
    "How",
    "Which",
    "If",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "To",
    "Of",
    "With",
    "As",
    "After",
    "Before",
    "Until",
    "Once",
    "Every",
    "Everyone",
    "Everything",
    "Nobody",
    "Nothing",
    "Someone",
    # who is nobody the page names: "Another just wrote “…”", "Others: “…”", "Some asked, “…”"
    "Another",
    "Other",
    "Others",
    "Some",
    "Several",
    "Many",
    "Most",
    "Few",
    "None",
    "Either",
    "Neither",
    "Somebody",
    # prepositions and conjunctions that open a sentence ("Between takes, …", "Though she …")
    "Between",
    "Beneath",
    "Underneath",
    "Despite",
    "Throughout",
    "Toward",
    "Towards",
    "Upon",
    "Without",
    "Afterwards",
    "Against",
    "Amidst",
    "Alongside",
    "Unless",
    "Although",
    "Though",
    "Whether",
    "Since",
    "Besides",
    "Unlike",
    "Whereas",
    "Whilst",
    # a role in a show's format, no one's name: "Listener questions, …:", "Caller: “…”", "Live notes:"
    "Listener",
    "Listeners",
    "Caller",
    "Callers",
    "Viewer",
    "Viewers",
    "Commenter",
    "Commenters",
    "Audience",
    "Live",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "All",
    "Both",
    "Each",
    "Not",
    "No",
    "Yes",
    "Only",
    "Also",
    "Even",
    "Still",
    "Now",
    "Later",
    "Meanwhile",
    "Episode",
    "Season",
    "Act",
    "Part",
    "Chapter",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Together",
    "Within",
    "Below",
    "Above",
    "Inside",
    "Outside",
    # prepositions that open a sentence ("Over comms, Brandt narrates"): no names
    "Over",
    "Under",
    "Across",
    "Through",
    "Around",
    "Behind",
    "Beyond",
    "During",
    "Along",
    "Beside",
    "Among",
    "Amid",
    "Aboard",
    "Just",
    "Stray",
    "Verdict",
    "Tonight",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Oh",
    "Well",
    "Okay",
    "OK",
    "Spoilers",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Let",
    "Let’s",
    "Don’t",
    "Can’t",
    "Won’t",
    "Is",
    "Are",
    "Was",
    "Were",
    "Do",
    "Does",
    "Did",
    "Have",
    "Has",
    "Had",
    "Will",
    "Would",
    "Could",
    "Should",
    "Maybe",
    "Perhaps",
    "Sometimes",
    "Whoever",
    "Whatever",
    "Anyone",
    "Anybody",
    "Everybody",
}
# Adverbs of place and time that open a sentence ("Halfway across, he finally tells her", "Midway through the
# dinner, …"): no one's name (issue 15, heldout15)
_NOT_NAMES |= _words(
    "Halfway Midway Partway Afterward Overnight Upstairs Downstairs Nearby Elsewhere Offscreen Onstage "
    "Offstage Backstage Instead Somewhere Outdoors Indoors Downstream Upstream Overhead Ashore "
    "Onscreen Downtown Uptown Overseas Meantime"
)
# A group, no one's name, when a sentence opens with it: "Critics who called the first season “…”",
# "Fans have been calling her “…”" (issue 15, red team 2)
_NOT_NAMES |= _words(
    "Critics Fans Readers Audiences People Parents Kids Children Writers Producers Showrunners Reviewers "
    "Folks Friends Neighbours Neighbors Locals Villagers Guests Cops Police Doctors Nurses Teachers "
    "Students Journalists Reporters Experts Scientists Historians Purists Skeptics Sceptics Cynics "
    "Detractors Haters Stans Shippers Subscribers Watchers Voters Contestants Players Men Women Boys "
    "Girls Adults Teens Teenagers Commentators Pundits Observers Onlookers Bystanders Witnesses Residents "
    "Townspeople Townsfolk Officials Authorities Insiders Sources Colleagues Fandoms Millennials Boomers "
    # a direction opening a sentence: "Roll credits over the narrator again: “…”"; a prize's place
    "Roll Cue Fade Smash Zoom Intercut Runner-up Runners-up"
)


# A job's word before a name ("Host Dana Whitlow"): no title the person is called by, and no sign the page
# calls them by the surname (heldout15)
_JOB_WORDS = _words(
    "Host Director Showrunner Producer Presenter Anchor Narrator Referee Editor Reporter Critic Juror"
)


_MALE_TITLES = {"Mr", "Lord", "Sir", "King", "Prince", "Father", "Brother", "Uncle"}


_FEMALE_TITLES = {"Mrs", "Ms", "Miss", "Lady", "Dame", "Queen", "Princess", "Mother", "Sister", "Aunt"}


_PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}


_DETERMINERS = {
    "the",
    "a",
    "an",
    "to",
    "that",
    "this",
    "and",
    "or",
    "but",
    "into",
    "onto",
    "out",
    "up",
    "off",
    "back",
    "down",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "about",
    "again",
    "go",
    "as",
    "afterwards",
    "afterward",
    "away",
    "now",
    "then",
    "here",
    "there",
    "later",
    "too",
    "so",
    "over",
    "around",
    "before",
    "after",
    "once",
    "twice",
    "first",
    "last",
    "anyway",
    "alone",
    "home",
    "tonight",
    "today",
    "is",
    "was",
    "by",
    "if",
    "when",
    "while",
    "until",
    "what",
    "how",
    "why",
    # (issue 15, red team 2: "Doyle brings her another" shows nothing of Doyle's gender)
    "another",
    "some",
    "something",
    "anything",
    "nothing",
    "everything",
    "no",
    "not",
    "never",
    "because",
    "since",
    "where",
    "who",
    "whom",
    "which",
    "instead",
    "still",
    "even",
    "just",
    "like",
    "than",
    "across",
    "along",
    "through",
    "aside",
    # (heldout15: "Shaheen, unlike Bolt, hands her one" shows nothing of Bolt's gender)
    "one",
    "two",
    "three",
    "both",
    "each",
    "all",
    "any",
    "none",
    "half",
    "more",
    "enough",
}


_COMMON_STARTERS = re.compile(r"^[A-Z][a-z]+(?:ing|ly|ed|ness|ment|tion|ful|less)$")


# Compiled once (they run for every name and quote in a body).
_NAME = re.compile(NAME)


_NAME_MID_SENTENCE = re.compile(rf"(?=[A-Z])(?<=[a-z,;:] )({NAME})")


_TITLE_START = re.compile(_TITLE_WORDS)


_TITLE_ONLY = re.compile(_TITLE_WORDS + r"\.?$")


# (a colon ends it too: "Kofi says to her: “You…”", whose "her" is no possessive)
_CLAUSE_END = re.compile(r"[.;!?:]|,(?! who\b)")


_WORDS = re.compile(r"[\w’']+")


# The only words by which a clause can show its subject's gender (see ``_clause_gender``), as whole
# words in any case: a clause without one shows nothing, and most clauses have none. Cases spelt out
# rather than re.I (only ASCII letters lower-case to these), so that the engine can skip ahead to an h.
_GENDERING_PRONOUN = re.compile(r"[Hh](?<![\w’'][Hh])(?:[Ii][SsMm]|[Ee][Rr])(?:[Ss][Ee][Ll][Ff])?(?![\w’'])")


_HIS_HIM_HER_LETTERS = re.compile(r"[Hh](?:[Ii][SsMm]|[Ee][Rr])")


_CLAUSE_WINDOW = 90  # characters after a name that ``_clause_gender`` reads


_GENDERED_TITLES = _MALE_TITLES | _FEMALE_TITLES


def _is_name(candidate: str, known: set[str], at_sentence_start: bool) -> bool:
    first_word = candidate.split()[0].rstrip(".")
    if candidate in _NOT_NAMES or first_word in _NOT_NAMES and not _TITLE_START.match(first_word):
        return False
    if at_sentence_start:
        if first_word in known or _TITLE_ONLY.match(first_word):
            return True
        return not _COMMON_STARTERS.match(first_word) and len(first_word) > 2
    return True


# Titles, ranks and roles glued to a name: reported without them ("Commander Vance" → "Vance").
_RANKS = _words(
    "Mr Mrs Ms Mx Miss Dr Prof Lord Lady Sir Dame Captain Capt Detective Det Officer Agent Sergeant "
    "Sgt Aunt Uncle Father Mother Sister Brother Saint St Judge Chief Coach Nurse Doctor Professor "
    "King Queen Prince Princess Commander Cmdr Lieutenant Lt Sheriff Deputy Inspector DI DCI DS "
    "Constable Reverend Rev Pastor Bishop Headmaster Headmistress Principal Navigator Quartermaster "
    "Admiral General Colonel Major Corporal Private Ensign Herr Frau Fräulein Kommissar Kommissarin "
    "Señor Señora Monsieur Madame Madam Mme Mlle Vice Governor Senator President Chancellor Minister "
    "Councillor Magistrate Matron Superintendent Commissioner DC PC DSI DCS Cardinal Abbot Abbess Vicar "
    "Rabbi Archbishop Ambassador Headteacher "
    "Mayor Marshal Warden Emperor Empress Duke Duchess Count Countess Baron Baroness Earl Grandma "
    "Grandpa Granny Nana Mama Papa Ma Pa Old Young Little Big Dear Poor Sweet Classic Ser Maester Auld Wee "
    "Doña Dona ADA DA AUSA Host Director Showrunner Producer Presenter Anchor Narrator Referee Editor "
    "Reporter Critic Juror "
    # another language's ("Capitaine Armand Delorme": heldout12)
    "Capitaine Capitán Capitano Kapitän Kapitan Comandante Commandant Commodore Signor Signora Signore "
    "Senhor Senhora Général Generale "
    "Thè"  # (the mark ``mask_descriptions`` puts for "the" before a role: "Thè Duchess" is "the Duchess")
)
# A definite description that stands for a person the page does not name ("the Duchess", "the Ferryman",
# "the coroner"): ``mask_descriptions`` writes "the" as this mark (same length), so that "Thè Duchess" reads
# as a name with a rank that is no part of it, and the speaker is reported as the description again.
DESCRIPTION_MARK = "Thè"


# Nouns for a role that one person in a scene holds (singular; not a group, a thing, an episode: "the pilot")
_ROLE_NOUNS = _words(
    "captain guard coroner doctor nurse surgeon medic paramedic judge magistrate detective inspector "
    "constable sergeant sheriff deputy marshal officer mayor governor senator minister chancellor ambassador "
    "king queen prince princess duke duchess countess baroness earl dowager emperor empress regent knight "
    "squire priest vicar bishop abbot abbess nun monk chaplain rabbi cardinal oracle seer prophet witch "
    "wizard sorcerer sorceress ghost butler maid housekeeper cook chef gardener driver chauffeur bartender "
    "barmaid "
    "waiter waitress landlord landlady innkeeper shopkeeper stranger widow widower warden jailer gaoler "
    "narrator headmaster headmistress professor prosecutor solicitor barrister foreman forewoman "
    "colonel lieutenant commander admiral clerk receptionist therapist pathologist referee "
    "villain boss midwife healer blacksmith executioner messenger valet footman nanny governess matron "
    "bailiff auctioneer announcer dispatcher interrogator intruder assassin kidnapper cabbie courier "
    "mechanic janitor caretaker bouncer cartographer mapmaker"
)


_FEMALE_ROLES = _words(
    "queen princess duchess countess baroness dowager empress abbess nun witch sorceress barmaid waitress "
    "landlady widow headmistress forewoman governess matron midwife maid"
)


_MALE_ROLES = _words("king prince duke earl emperor abbot monk widower landlord headmaster foreman footman")


# Words that end as a role does and are no person ("the Ottoman")
_NOT_ROLES = _words("ottoman talisman walkman human woman man")


_ROLE_ENDING = re.compile(r"[a-z]{2,}(?:man|woman|maker|keeper|smith|monger|wright|grapher)")


# "the Duchess", "The Ferryman’s" (not "the Duchess Elena": a title before a name; not "the vicar, Reverend
# Hollis" nor "Crouch, the housekeeper": a description beside the name of the one it describes)
_DESCRIPTION = re.compile(
    r"(?<![\w’'-])(?<![A-Za-z], )(?P<article>[Tt])he (?P<noun>[A-Za-z][a-z]+)(?![\w-])"
    r"(?![^\S\n]*[(,][^\S\n]*(?:[A-Z]|the\s+[A-Z]))(?![^\S\n][A-Z])"
)


# The same, only where ``descriptions_in`` looks: a lower-case "the" and a capital (a tenth of the matches),
# the word first so that the search skips to each "the " (the checks before it are made after it).
_CAPITAL_DESCRIPTION = re.compile(
    r"the (?<![\w’'-]the )(?<![A-Za-z], the )(?P<noun>[A-Z][a-z]+)(?![\w-])"
    r"(?![^\S\n]*[(,][^\S\n]*(?:[A-Z]|the\s+[A-Z]))(?![^\S\n][A-Z])"
)


def _role_noun(noun: str) -> bool:
    lower = noun.lower()
    return lower in _ROLE_NOUNS or (lower not in _NOT_ROLES and bool(_ROLE_ENDING.fullmatch(lower)))


def mask_descriptions(text: str, nouns: frozenset[str]) -> str:
    """``text`` with each description of a role among ``nouns`` (``the Duchess``) written as a name of the
    same length, ``Thè Duchess`` (see ``DESCRIPTION_MARK``)."""
    if not nouns or "he " not in text:
        return text
    return _mask(text, nouns)


@lru_cache(maxsize=1024)
def _mask(text: str, nouns: frozenset[str]) -> str:
    return _DESCRIPTION.sub(
        lambda match: (
            f"{DESCRIPTION_MARK} {match.group('noun')}" if match.group("noun") in nouns else match.group()
        ),
        text,
    )


def descriptions_in(text: str) -> Iterator[str]:
    """The roles ``text`` writes as a name is written, with a capital after a lower-case "the" (``the
    Duchess``, ``the Ferryman``; not ``the coroner``, as often a named person's epithet): their nouns."""
    if "he " not in text:
        return
    for match in _CAPITAL_DESCRIPTION.finditer(text):
        noun = match.group("noun")
        if _role_noun(noun):
            yield noun


def role_gender(noun: str) -> str | None:
    """The gender a role's noun shows (``duchess``, ``ferryman``), or None."""
    lower = noun.lower()
    if lower in _FEMALE_ROLES or lower.endswith("woman"):
        return "f"
    if lower in _MALE_ROLES or (lower.endswith("man") and lower not in _NOT_ROLES):
        return "m"
    return None


# Titles that are names too ("Don" of Don Draper): left out before another name only ("Don Aurelio").
_TITLES_BEFORE_NAMES = _words("Don Dom")


# A person's title right before a name ("Mrs Philippa Crouch": ``learn`` reads "Mrs" as no name)
_HONORIFICS = _words("Mr Mrs Ms Mx Miss")  # titles ``learn`` sees as words that start a sentence too


# Words that make a name an institution's or a place's, not a person's ("Sheffield University")
_INSTITUTION_WORDS = _words(
    "University College School Academy Institute Hospital Clinic Street Road Avenue Boulevard Lane Cathedral "
    "Museum Gallery Theatre Theater Center Centre Bank Company Corporation Corp Inc Ltd LLC Group Council "
    "Committee Party Court Department Ministry Agency Times Journal Tribune Gazette Airport County Republic "
    "Kingdom Union Federation Association Society Club League Foundation Network Channel Records Studios "
    "Pictures Reserve Senate Congress Parliament Government Army Navy Police Office Mail Station Festival "
    "Award Awards Prize Cup Championship Series Season Episode Street Square Hotel Restaurant Cafe Café "
    # a publication's: "Screen Quarterly", "the Evening Standard"
    "Quarterly Weekly Daily Monthly Magazine Review Herald Post Press News Chronicle Examiner Observer "
    "Telegraph Standard Digest Bulletin Radio Podcast "
    # a forum's post: "Post-Episode Discussion", "Live Thread"
    "Discussion Thread Megathread "
    # a business or a control room: "Kershaw’s Motors", "the Weavers Arms", "Base Control" (heldout17)
    "Motors Garage Bakery Pub Inn Arms Shop Store Stores Market Supermarket Diner Bar Salon Pharmacy Motel "
    "Mall Plaza Factory Industries Enterprises Holdings Control Dispatch Headquarters HQ"
)


# Titles that only a person bears ("Little", "Old" and the like are not: "Little Rock")
_PERSON_TITLES = _RANKS - _words(
    "Old Young Little Big Dear Poor Sweet Classic Saint St General Major Private"
)


_GENDER_OF_RANK = dict.fromkeys(
    _words(
        "Mr Lord Sir Ser King Prince Father Brother Uncle Herr Señor Monsieur Duke Baron Earl Emperor "
        "Grandpa Papa Pa Kommissar"
    ),
    "m",
) | dict.fromkeys(
    _words(
        "Mrs Ms Miss Lady Dame Queen Princess Mother Sister Aunt Frau Fräulein Señora Madame Mme Mlle "
        "Duchess Baroness Countess Empress Grandma Granny Nana Mama Ma Headmistress Kommissarin"
    ),
    "f",
)


# What follows a person's name (and seldom a word that starts a sentence): a verb, an actor, an appositive.
_NAME_THEN_VERB = re.compile(
    r"\s+(?:\w+ly\s+)?(?:[a-z]{3,}s|has|was|is|[a-z]+ed|[a-z]+n[’']t|told|said|wrote|spoke|thought|knew|"
    r"took|gave|went|came|ran|saw|found|felt|kept|sat|stood|began|brought|left)\b"
    r"|,?\s+(?:played|who plays|who)\b"
    r"|\s*\(|\s+and\s+(?:[A-Z]|(?:his|her|their)\s)"
    r"|,\s+(?:the|a|an|his|her|their)\s[^,.;!?]{1,40},\s+(?:\w+ly\s+)?(?:[a-z]+s|[a-z]+ed|[a-z]+n[’']t|"
    r"came|went|got|had|was|took|made|left|ran|saw|told|said|knew|found|gave|felt|kept|sat|stood|won|lost)\b"
)


# "Pryce, meanwhile, solves", "Fen, to her credit, didn’t", "Sousa, watching through the glass with Dwyer,
# isn’t": a subject, a short aside, its verb
_NAME_ASIDE_VERB = re.compile(
    r",\s+(?:[a-z’']+\s+){0,3}(?:[A-Za-z’']+\s+){0,4}[A-Za-z’']+,\s+(?:\w+ly\s+)?(?:[a-z]{3,}s|[a-z]+ed|[a-z]+n[’']t|has|was|is)\b"
)


# A full name's aside in lower case between commas, then its verb: "Fintan Roche, still the most decent man
# in Killinure and still losing, is given more to do"
_FULL_NAME_ASIDE_VERB = re.compile(
    r",\s+[a-z][^,.;:!?“”\"()]{0,100},\s+(?:\w+ly\s+)?(?:[a-z]{3,}s|[a-z]+ed|[a-z]+n[’']t|has|was|is)\b"
)


# Words before a place or a thing rather than a person
_PLACE_BEFORE = re.compile(r"\b(?:in|from|of|near|outside|across|into|the)\s+$")


# A sentence whose only name is its subject, then one that starts with a pronoun: "Marcus won’t say. He…"
_NAME_THEN_PRONOUN = re.compile(
    rf"(?:^|[.!?…][”\"’]?\s*)(?P<who>{NAME})\s+[a-z][^.!?…“”\"A-Z]{{0,80}}[.!?…]\s+(?P<pronoun>He|She)\s"
)


# An object pronoun in that first sentence: "Gaby asks him on the roof. He shrugs." (he is not Gaby)
_OBJECT_OF_PRONOUN = {
    "He": re.compile(r"\bhim\b"),
    "She": re.compile(
        r"\bher\b(?=\s*(?:[.,;:!?…]|(?:on|in|at|to|for|with|from|about|into|off|up|down|back|again|away)\b))"
    ),
}


# A pronoun of the other gender in that first sentence: "Bassus asks whether he should go. She…" (she is
# someone else; issue 15, session 12)
_OTHER_GENDER_PRONOUN = {
    "He": re.compile(r"\b(?:she|herself)\b"),
    "She": re.compile(r"\b(?:he|his|himself)\b"),
}


def _census_says_other(first: str, gender: str) -> bool:
    """Whether the census gives the first name ``first`` almost only to the other gender than ``gender``: a
    pronoun near the name that says otherwise is likelier someone else's (issue 15, session 12)."""
    other = FEMALE_FIRST_NAMES if gender == "m" else MALE_FIRST_NAMES
    same = MALE_FIRST_NAMES if gender == "m" else FEMALE_FIRST_NAMES
    return first in other and first not in same


_PREPOSITIONS = _words("of with to at in on for from about by into over under behind beside")


def _possessive_in_phrase(text: str, end: int, first: str, gender: str) -> bool:
    """Whether the clause after a name that ends at ``end`` shows ``gender`` only by a possessive inside a
    phrase (``Yolanda, who has heard every one of his jokes``) or a "her" before a name (``Gus calls her
    Margo``) and the census says ``first`` is of the other gender: the pronoun is likelier someone else's
    (not ``Ingrid straightens his tie`` or ``Kevin checks herself``, the text's own evidence; issue 15,
    session 12)."""
    if not _census_says_other(first, gender):
        return False
    window = text[end : end + _CLAUSE_WINDOW]
    words = _WORDS.findall(_CLAUSE_END.split(window.lstrip(", "), maxsplit=1)[0])
    for index, word in enumerate(words[:10]):
        lower = word.lower()
        if lower in ("his", "her", "himself", "herself"):
            after_preposition = index > 0 and words[index - 1].lower() in _PREPOSITIONS
            # ("Gus calls her Margo": an object before a name, not a possessive)
            before_name = lower == "her" and index + 1 < len(words) and words[index + 1][:1].isupper()
            return lower in ("his", "her") and (after_preposition or before_name)
    return False


_MALE_KIN = _words(
    "father grandfather brother son husband ex-husband uncle boyfriend ex-boyfriend dad grandpa nephew"
)


_FEMALE_KIN = _words(
    "mother grandmother sister daughter wife ex-wife aunt girlfriend ex-girlfriend mom mum grandma niece"
)


# "her grandfather, Sol" / "his sister Odette": the name's gender from a word for a relative before it
# (looked for before each name ``learn`` found, where the word before it ends as such a word can)
_KIN_BEFORE = re.compile(
    rf"\b(?P<kin>{'|'.join(sorted(_MALE_KIN | _FEMALE_KIN, key=len, reverse=True))}),?\s+$"
)


_KIN_LAST_LETTERS = frozenset(word[-1] for word in _MALE_KIN | _FEMALE_KIN) | {","}


_KIN_REACH = max(map(len, _MALE_KIN | _FEMALE_KIN)) + 1  # the word and a comma, before the white space


# A dash that opens a live blog's entry, after its time stamp ("9:07 — Client check:"), or opens a line
_LINE_OPENING_DASH = re.compile(
    r"(?:(?:^|\n|(?<=[.!?…”’\"])[^\S\n]*)\d{1,2}[:.]\d{2}[^\S\n]*(?:[AaPp]\.?[Mm]\.?)?|(?:^|\n)[^\S\n]*)"
    r"[^\S\n]*[—–] $"
)


_NOT_MID_SENTENCE = frozenset('.!?…:;"“”„«»’‘')  # before the space before a sentence's first word


@lru_cache(maxsize=4096)
@lru_cache(maxsize=8192)
def _words_of(name: str) -> tuple[tuple[str, ...], str | None, bool, bool]:
    """What ``Cast`` reads from a mention's name alone: its name words (none for a word that is no name or
    an institution's), the gender its title shows, whether it is in capitals (``ICONIC``), and whether a
    person's title comes before it (``Lord Ashgrove``, ``Reverend Clement Ashdown``)."""
    head = name.split(maxsplit=1)[0]
    words = () if head in _NOT_NAMES and head.rstrip(".") not in _HONORIFICS else _strip_ranks(name)
    if not words or _INSTITUTION_WORDS.intersection(words):
        return (), None, False, False
    rank = head.rstrip(".")
    rank_gender = _GENDER_OF_RANK.get(rank) if rank != words[0] else None
    shouted = all(word.isupper() and len(word) > 1 for word in words)  # "ICONIC", "WHAT DOES IT MEAN"
    # (a knight's "Ser" goes with the first name, "Ser Odo", "Ser Bronwen Hale": it shows a gender, mostly a
    # man's, but does not make the surname the one the page calls them by)
    titled = bool(rank_gender) and rank != "Ser" or (len(words) == 1 and rank in _PERSON_TITLES)
    return words, rank_gender, shouted, titled


@lru_cache(maxsize=4096)
def _strip_ranks(name: str) -> tuple[str, ...]:
    """The words of a name without its titles or ranks and without a possessive ’s."""
    words = name.split()
    if words[-1].endswith(("’s", "'s")):
        words[-1] = words[-1][:-2]
    if (
        "-" in words[-1]
        and (suffix := words[-1].rpartition("-")[2]) in _HONORIFIC_SUFFIXES
        and words[-1].rpartition("-")[0] not in _KIN_BEFORE_HONORIFIC
    ):
        words[-1] = words[-1][: -len(suffix) - 1]  # "Kurokawa-senpai": Kurokawa, as "Mr. Kurokawa" is
    if words[0] == DESCRIPTION_MARK and len(words) > 1:
        return tuple(words[1:])  # "Thè Duchess": a role's noun, which is a rank elsewhere
    while len(words) > 1 and (
        words[0].rstrip(".") in _RANKS
        or words[0].split("-")[0].rstrip(".") in _RANKS
        or words[0] in _TITLES_BEFORE_NAMES
    ):
        words.pop(0)
    if len(words) == 1 and (words[0].rstrip(".") in _RANKS or _hyphenated_rank(words[0])):
        return ()
    return tuple(words)


# Japanese honorifics after a name ("Kurokawa-senpai", "Rei-chan"): part of how others address the person
_HONORIFIC_SUFFIXES = frozenset(("san", "sama", "kun", "chan", "senpai", "sempai", "sensei", "dono", "tan"))
# … not after a word for a relative, which is the whole name ("Obaa-chan", "Onii-san")
_KIN_BEFORE_HONORIFIC = _words("Obaa Oba Ojii Oji Onii Onee Nii Nee Okaa Kaa Otou Tou Baa Jii Ane Ani")


def _hyphenated_rank(word: str) -> bool:
    """Whether a hyphenated word is a rank ("Vice-Admiral", "Lieutenant-colonel"), not a name that opens with
    one ("Saint-Cyr": a part after the hyphen that is a capitalised word and no rank is a name's)."""
    head, _, rest = word.partition("-")
    if head not in _RANKS:
        return False
    return all(part in _RANKS or not part[:1].isupper() for part in rest.split("-"))


# A nickname the writer gives a person: "Senator Bradley Holt, whom I will be calling Teflon", "Holt (aka
# Teflon)", "Marjorie, better known as Midge", "Holt — or, as I call him, Teflon"
_ALIAS = re.compile(
    r"\s*[,(—–]\s*(?:(?:whom|who)\s+(?:I|we)(?:[’']ll|[’']m|[’']ve|[’']re)?\s+(?:\w+\s+){0,3}?"
    r"(?:call|calling|dub|dubbing|dubbed|refer to as|referring to as)(?:\s+(?:him|her|them))?"
    r"|(?:or,?\s+)?as\s+(?:I|we)\s+(?:call|like to call)\s+(?:him|her|them),?"
    r"|a\.?k\.?a\.?|also known as|better known as|known to (?:all|everyone|fans|me|us) as|nicknamed|dubbed|"
    rf"hereafter|henceforth)\s+[“\"‘]?(?P<alias>{NAME})"
)


# Where ``_ALIAS``'s words for a nickname start (right after the name and a comma or bracket): found as
# plain strings, most texts have none
_ALIAS_CUES = (
    "whom I",
    "who I",
    "whom we",
    "who we",
    "as I ",
    "as we ",
    "a.k.a",
    "aka ",
    "also known as",
    "better known as",
    "known to ",
    "nicknamed",
    "dubbed",
    "hereafter",
    "henceforth",
)


_NAME_AT_END = re.compile(rf"(?P<who>{NAME})\s*[,(—–]\s*(?:or,?\s*)?$")


def _aliases(text: str) -> Iterator[tuple[str, str]]:
    """(name, nickname) for each nickname the text gives a person (see ``_ALIAS``)."""
    for cue in _ALIAS_CUES:
        at = text.find(cue)
        while at >= 0:
            named = _NAME_AT_END.search(text, max(0, at - 60), at)
            alias = _ALIAS.match(text, named.end("who")) if named else None
            if named and alias:
                yield named.group("who"), alias.group("alias")
            at = text.find(cue, at + len(cue))


# A name after "the" before a lower-case noun ("the Blackwood ranch", "the Kessler house"): a family's or a
# place's, which does not count as a mention of the surname alone (for the form the page calls a person by)
_LOWER_NOUN_AFTER = re.compile(r" [a-z]+")


# A possessive right before a name (not "there’s", "it’s", "that’s": a verb): "the next morning’s Echo front
# page"
_POSSESSOR_BEFORE = re.compile(
    r"(?<![\w’'])(?!(?:[Tt]here|[Ii]t|[Tt]hat|[Hh]ere|[Ww]hat|[Ww]ho|[Hh]e|[Ss]he|[Ll]et|[Ww]here|[Hh]ow)[’'])"
    r"[\w-]+[’']s $"
)


# An article and a lower-case word right before a name ("the entire Omaha phone book", "a Boston accent"):
# with a lower-case noun after it, the name qualifies the noun
_MODIFIER_BEFORE = re.compile(r"(?<![\w’'])(?:the|a|an|this|that|every|whole)\s+(?:[a-z]+\s+)?$")


class Cast:
    """The people a recap names, each reported by the short name it uses most for them.

    ``Commander Marisol Vance``, ``Marisol``, ``Vance`` and the nickname ``Mari`` are one person when the
    page names only one Marisol Vance; ranks and titles are no part of a name."""

    def __init__(
        self,
        texts: list[tuple[str, list[tuple[str, int, int]]]],
        gender: dict[str, str],
        described: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        self.counts: dict[str, int] = {}  # word → mentions of it alone (after its title: "Commander Vance")
        # word → those mentions inside quoted lines ("Sit down, Gary."): how the characters address a person,
        # which tells less than how the writer names them (see ``key``)
        self.quoted_counts: dict[str, int] = {}
        # word → those mentions after a courtesy title ("Miss Dunstan", "Mr. Carrow"): how others address a
        # person, which the writer's own bare first name outweighs (see ``key``)
        self.courtesy_counts: dict[str, int] = {}
        self.fulls: set[tuple[str, ...]] = set()  # names of two or three words
        self.full_counts: dict[tuple[str, ...], int] = {}  # mentions of each of them
        self.subjects: set[str] = set()  # words seen as the subject of a verb ("Priya checks")
        # genders ``learn`` found, keyed by the first word that is not a gendered title ("Dr" of "Dr. Tess
        # Alder"): those keyed by a rank are read again below, by the name without it
        # (a role's noun, "Duchess" of "the Duchess", is kept: see ``mask_descriptions``)
        self.gender: dict[str, str] = {k: v for k, v in gender.items() if k not in _RANKS or k in described}
        self.mid_sentence: set[str] = set()
        self.titled: set[str] = set()  # words named after a title ("Lord Ashgrove"): people
        # full names seen after a gendered title ("Mrs Philippa Crouch"): the title goes with the surname
        self.titled_fulls: set[tuple[str, ...]] = set()
        self.ranked_fulls: set[tuple[str, ...]] = set()  # full names seen after a rank ("Marshal Eliza Rook")
        self.confirmed: set[tuple[str, ...]] = set()  # full names seen mid-sentence or as a subject
        self._forms: dict[tuple[str, ...], list[str] | None] = {}
        self._keys: dict[str, str] = {}
        self._priors: dict[tuple[str, ...], str | None] = {}  # see ``_prior_gender``
        self.after_article: dict[tuple[str, ...], bool] = {}  # a name seen only as "the Guardian": a thing
        self.aliases: dict[str, tuple[str, ...]] = {}  # a nickname the writer gives → the name's words
        # a surname named after titles of both genders with no first name ("Lord Ashcombe", "Lady Ashcombe"):
        # surname → {gender: the title}; the title then tells two people apart (see ``key``)
        self.couple_titles: dict[str, dict[str, str]] = {}
        self._in_quote = False  # whether the mention ``_read`` reads is inside a quoted line
        for text, mentions in texts:
            self._read_text(text, mentions)
        # word → the full names with it, in the order of ``fulls`` (which is read whole for most questions)
        self._fulls_with: dict[str, list[tuple[str, ...]]] = {}
        for full in self.fulls:
            for word in dict.fromkeys(full):
                self._fulls_with.setdefault(word, []).append(full)
        # full name → how the page calls that person, for ``_calls_by_first_names`` ("first", "last" or "")
        self._called_by: dict[tuple[str, ...], str] = {}
        self._persons: dict[str, bool] = {}  # name → ``is_person``, asked again and again of the same names

    def _read_text(self, text: str, mentions: list[tuple[str, int, int]]) -> None:
        """The names ``learn`` found in one text (``_NAME`` matches, function words left out)."""
        hints = [found.start() for found in _HIS_HIM_HER_LETTERS.finditer(text)]
        kin: list[tuple[str, str]] = []  # (name, word for a relative before it), read after the names
        spans = find_quote_spans(text)
        starts = [span.start for span in spans]
        for name, start, end in mentions:
            if spans and (at := bisect_left(starts, start + 1) - 1) >= 0 and start < spans[at].end:
                self._in_quote = True
            else:
                self._in_quote = False
            # (most names have one space before them, and no call is needed to see past it)
            one_space = start > 1 and text[start - 1] == " " and not text[start - 2].isspace()
            space = start - 1 if one_space else _space_before(text, start)
            if (
                space
                and text[space - 1] in _KIN_LAST_LETTERS
                and (kin_word := _KIN_BEFORE.search(text, max(0, space - _KIN_REACH), start))
            ):
                kin.append((name.split("\n", 1)[0].strip(), kin_word.group("kin")))
            if "\n" not in name:
                self._read(text, name, start, end, hints)
                continue
            for piece in name.split("\n"):  # a name ends with its line (the next block's first word)
                offset = text.index(piece, start)
                if _NAME.fullmatch(piece.strip()):
                    self._read(text, piece.strip(), offset, offset + len(piece.strip()), hints)
                start = offset + len(piece)
        for name, relative in kin:
            words = _strip_ranks(name)
            if words:
                self.gender.setdefault(words[-1], "m" if relative.lower() in _MALE_KIN else "f")
                if len(words) > 1:  # ("Her father, Jabez Threlfall": Jabez; his daughter shares the name)
                    self.gender.setdefault(words[0], "m" if relative.lower() in _MALE_KIN else "f")
        for name, nickname in _aliases(text):
            words, alias = _strip_ranks(name), _strip_ranks(nickname)
            if words and len(alias) == 1 and alias[0] not in words:
                self.aliases.setdefault(alias[0], words)
        for match in _NAME_THEN_PRONOUN.finditer(text) if "He " in text or "She " in text else ():
            words = _strip_ranks(match.group("who"))
            if (
                words
                and not _OBJECT_OF_PRONOUN[match.group("pronoun")].search(match.group())
                and not _OTHER_GENDER_PRONOUN[match.group("pronoun")].search(
                    text, match.start(), match.start("pronoun")
                )
                # ("Dewey plays it. She calls back.": a first name almost only men's; she is someone else)
                and not _census_says_other(words[0], "m" if match.group("pronoun") == "He" else "f")
            ):
                self.gender.setdefault(words[-1], "m" if match.group("pronoun") == "He" else "f")

    def _read(self, text: str, name: str, start: int, end: int, hints: list[int]) -> None:
        """One mention of a name at ``text[start:end]``: counts, full names, gender, subjects."""
        words, rank_gender, shouted, titled = _words_of(name)
        if not words:
            return
        first = words[0]
        if first not in self.gender:
            if rank_gender:
                self.gender[first] = rank_gender
            elif not name.endswith(("’s", "'s")):  # (the clause after "Mbeki’s predecessor" is not hers)
                hint = bisect_left(hints, end)
                if hint < len(hints) and hints[hint] <= end + _CLAUSE_WINDOW - 3:
                    strong = _clause_gender(text, end)[0]
                    if strong and not _possessive_in_phrase(text, end, first, strong):  # a given name's
                        self.gender[first] = strong
        mid = start > 1 and text[start - 1] == " " and text[start - 2] not in _NOT_MID_SENTENCE
        if mid and (shouted or _PLACE_BEFORE.search(text, max(0, start - 8), start)):
            mid = False  # "in Leipzig", "from Tulsa", "the Navy": a place or a thing, unless named elsewhere
        if (
            mid
            and text[start - 3 : start - 1] in ("’s", "'s")
            and _LOWER_NOUN_AFTER.match(text, end)
            and _POSSESSOR_BEFORE.search(text, max(0, start - 20), start)
        ):
            mid = (
                False  # "the next morning’s Echo front page": a name qualifying a noun, unless seen elsewhere
            )
        if (
            mid
            and _MODIFIER_BEFORE.search(text, max(0, start - 24), start)
            and _LOWER_NOUN_AFTER.match(text, end)
        ):
            mid = False  # "the entire Omaha phone book": a name qualifying a noun, unless seen elsewhere
        if mid and text[start - 2] in "—–" and _LINE_OPENING_DASH.search(text, max(0, start - 30), start):
            mid = False  # "9:07 — Client check:": a dash that opens its line (after a time stamp) starts one
        if mid:
            self.mid_sentence.update(words)
        if titled:
            self.titled.update(words)
        if start >= 4 and text[start - 4 : start] in ("the ", "The ") and len(words) == len(name.split()):
            self.after_article.setdefault(words, True)  # (not "the Reverend Clement Ashdown")
        else:
            self.after_article[words] = False
        if len(words) == 1:
            if rank_gender:
                titles = self.couple_titles.setdefault(first, {})
                titles.setdefault(rank_gender, name.split(maxsplit=1)[0].rstrip("."))
            if (
                start >= 4
                and text[start - 4 : start] in ("the ", "The ")
                and _LOWER_NOUN_AFTER.match(text, end)
            ):
                self.counts.setdefault(first, 0)  # "the Blackwood ranch": the family's, no one's name
            else:
                self.counts[first] = self.counts.get(first, 0) + 1
                if rank_gender and name.split(maxsplit=1)[0].rstrip(".") in _HONORIFICS:
                    self.courtesy_counts[first] = self.courtesy_counts.get(first, 0) + 1
                if self._in_quote:
                    self.quoted_counts[first] = self.quoted_counts.get(first, 0) + 1
            if first not in self.subjects and (
                _NAME_THEN_VERB.match(text, end)
                or (_NAME_ASIDE_VERB.match(text, end) and not _COMMON_STARTERS.match(first))
            ):
                self.subjects.add(first)
        elif shouted:
            return
        else:
            self.fulls.add(words)
            self.full_counts[words] = self.full_counts.get(words, 0) + 1
            # ("Mrs Philippa Crouch" is "Crouch" however often named so; "Dr." shows no gender)
            if rank_gender and titled:
                self.titled_fulls.add(words)
            if (head := name.split(maxsplit=1)[0]) != words[0] and head not in _JOB_WORDS:
                self.ranked_fulls.add(words)
            if mid or _NAME_THEN_VERB.match(text, end) or _FULL_NAME_ASIDE_VERB.match(text, end):
                self.confirmed.add(words)  # ("Fintan Roche, still the most decent man in town, is given")

    def forms(self, words: tuple[str, ...]) -> list[str] | None:
        """Every form of the person named by ``words`` (None when the page names two people so)."""
        if words not in self._forms:
            self._forms[words] = self._find_forms(words)
        return self._forms[words]

    def _find_forms(self, words: tuple[str, ...]) -> list[str] | None:
        if len(words) == 1 and words[0] in self.aliases:  # "Teflon", the nickname of "Bradley Holt"
            words = self.aliases[words[0]]
        if len(words) > 1:
            found: list[tuple[str, ...]] = [
                full for full in self._fulls_with.get(words[0], ()) if set(words) <= set(full)
            ] or [tuple(words)]
        else:
            found = list(self._fulls_with.get(words[0], ()))
            if not found and len(words[0]) >= 3:
                # ("Mari" of "Marisol"; not "Magpie" of "MagpieThe", two blocks' words run together)
                size = len(words[0])
                found = [
                    full
                    for full in self.fulls
                    if full[0].startswith(words[0]) and not full[0][size : size + 1].isupper()
                ]
        if found:
            longest = max(found, key=len)
            largest = set(longest)
            if any(not set(full) <= largest for full in found):
                return None  # "Wade Calloway" and "Eli Calloway": "Calloway" is either
        forms = {word for full in found for word in full} | set(words)
        firsts = {full[0] for full in found}
        # the short forms of a first name the page uses ("Mari" of "Marisol"): its prefixes, looked up
        forms |= {first[:end] for first in firsts for end in range(3, len(first) + 1)} & self.counts.keys()
        forms |= {alias for alias, named in self.aliases.items() if set(named) <= forms}
        return sorted(forms)

    def key(self, name: str) -> str:
        """The name a speaker is reported by: the short form the page uses most, without titles."""
        known = self._keys.get(name)
        if known is not None:
            return known
        words = _strip_ranks(name)
        if not words:
            self._keys[name] = ""
            return ""
        if len(words) == 1 and len(self.couple_titles.get(words[0], ())) == 2:
            key = self._couple_key(name, words[0])
            self._keys[name] = key
            return key
        if (
            len(words) == 1
            and len(self.couple_titles.get(words[0], ())) == 1
            and self._spouse_named(words[0])
        ):
            # "Mrs. Tully" on a page with "Warren Tully": the title tells her from him, the bare surname
            # does not
            head = name.split(maxsplit=1)[0]
            key = f"{head} {words[0]}" if _GENDER_OF_RANK.get(head.rstrip(".")) else ""
            self._keys[name] = key
            return key
        if all(word.isupper() and len(word) > 2 for word in words):
            written = tuple(word.capitalize() for word in words)  # a script's "MARGO:" is the page's Margo
            if any(word in self.counts or word in self._fulls_with for word in written):
                words = written
        forms = self.forms(words)
        if forms is None and len(words) == 1:
            key = self._surname_key(words[0])
        elif forms is None:
            key = " ".join(words)
        else:
            best = max((self.counts.get(form, 0) for form in forms), default=0)
            # of the forms used most, the one the writer uses most outside quoted lines
            narrated = max(
                (
                    self.counts[form] - self.quoted_counts.get(form, 0)
                    for form in forms
                    if self.counts.get(form) == best
                ),
                default=0,
            )
            whole = self._fulls_with_all(words) if best == 0 else []
            if best == 0 and len(whole) == 1 and whole[0] in self.titled_fulls:
                key = whole[0][-1]  # named only as "Mrs Philippa Crouch": by the surname the title goes with
            elif best == 0 and len(whole) == 1 and self.full_counts.get(whole[0], 0) == 1:
                # named once, in full ("The critic Harriet Osei, writing in…"): by the surname, as a
                # recap names a person it introduces so (not a name used whole again and again, "Hat Guy");
                # by the first name on a page that calls the others it names in full by theirs
                first_names = whole[0] not in self.ranked_fulls and self._calls_by_first_names(whole[0])
                key = whole[0][0] if first_names else whole[0][-1]
            elif best == 0 and len(whole) == 1:
                key = " ".join(whole[0])  # named only in full ("Ilse Brand told…" read from "Brand told")
            elif best == 0:
                key = " ".join(words)
            elif len(words) == 1 and self._weight(words[0]) == (best, narrated):
                key = words[0]
            else:
                key = next(form for form in forms if self._weight(form) == (best, narrated))
            if self.courtesy_counts.get(key, 0) == self.counts.get(key, 0) > 0:
                key = self._first_name_over_courtesy(key)
            if key != words[0] and len(self.couple_titles.get(key, ())) == 2:
                # "Clem Ashgrove" on a page with "Mr Ashgrove" and "Mrs Ashgrove": the surname alone is
                # someone else, so the first name reports Clem (issue 15, red team 2)
                key = words[0]
            elif key != words[0] and self._shared_surname(key):
                # "Jabez Threlfall" on a page with "Thirza Threlfall": the surname alone is either, so the
                # first name reports each (issue 15, session 12)
                whole = [full for full in self._fulls_with_all(words) if full[-1] == key]
                if len(whole) == 1:
                    key = whole[0][0]
        self._keys[name] = key
        return key

    def _first_name_over_courtesy(self, surname: str) -> str:
        """The person a surname named only after a courtesy title means (``Miss Dunstan``, ``Mr. Carrow``):
        by the first name of the one full name that ends with it where the writer also uses that first name
        alone outside lines (``Clara Dunstan``, ``I adore Clara``): the title and surname are how the others
        address her, the bare first name is the writer's own (heldout16)."""
        whole = [full for full in self._fulls_with.get(surname, ()) if full[-1] == surname]
        if len(whole) == 1 and len(whole[0]) == 2 and self._weight(whole[0][0])[1] > 0:
            return whole[0][0]
        return surname

    def _calls_by_first_names(self, whole: tuple[str, ...]) -> bool:
        """Whether the page calls the other people it names in full by their first names (``Marvin Oakes``
        is ``Marv``, ``Dallas Pryor`` is ``Dallas``), none by the surname."""
        firsts = lasts = 0
        for full in self.fulls:
            if full == whole or set(full) & set(whole):
                continue
            called = self._called_by.get(full)
            if called is None:
                called = self._called_by[full] = self._how_called(full)
            if called == "last":
                lasts += 1
            elif called == "first":
                firsts += 1
        return firsts > 0 and lasts == 0

    def _how_called(self, full: tuple[str, ...]) -> str:
        """How the page calls the person named ``full`` (for ``_calls_by_first_names``): by the surname
        ("last"), by the first name or a short form of it ("first"), or neither, or it does not tell ("")."""
        if any(other[-1] == full[-1] and other[0] != full[0] for other in self._fulls_with[full[-1]]):
            # ("Renata Pruitt" and her sister "Janelle Pruitt": called by first names to tell them apart,
            # which says nothing of how the page calls anyone else; heldout16)
            return ""
        forms = self.forms(full)
        # (by the forms the writer uses outside quoted lines: not "Sunrise Over Skegness", a dish's name
        # whose last word a line says again)
        if not forms or max((self._weight(form)[1] for form in forms), default=0) <= 0:
            return ""
        key = self.key(" ".join(full))
        if key == full[-1]:
            return "last"
        return "first" if full[0].startswith(key) else ""

    def _fulls_with_all(self, words: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The full names that have every word of ``words``, in the order of ``fulls``."""
        return [full for full in self._fulls_with.get(words[0], ()) if set(words) <= set(full)]

    def _weight(self, form: str) -> tuple[int, int]:
        """How often the page names a person by ``form`` alone: in all, and outside quoted lines."""
        count = self.counts.get(form, 0)
        return count, count - self.quoted_counts.get(form, 0)

    def _spouse_named(self, surname: str) -> bool:
        """Whether the page names ``surname`` after a title of one gender only ("Mrs. Tully") and in full with
        a first name the census gives almost only to the other ("Warren Tully"): two people, one surname
        (heldout15)."""
        ((gender, title),) = self.couple_titles[surname].items()
        return title in ("Mr", "Mrs", "Ms", "Miss") and any(
            len(full) == 2 and full[-1] == surname and _census_says_other(full[0], gender)
            for full in self.fulls
        )

    def _couple_key(self, name: str, surname: str) -> str:
        """The person a surname means where the page names it after titles of both genders ("Lord
        Ashcombe", "Lady Ashcombe"): the title goes with it ("Lady Ashcombe"); nobody for the bare surname
        or a title that shows no gender."""
        head = name.split(maxsplit=1)[0].rstrip(".")
        gender = _GENDER_OF_RANK.get(head)
        if gender is None or surname in self._fulls_with:
            return ""
        return f"{self.couple_titles[surname][gender]} {surname}"

    def _surname_key(self, surname: str) -> str:
        """The person a surname two full names share (``Wade Calloway``, ``Eli Calloway``) means: the one
        whose first name the page never uses alone (it calls Eli "Eli" and Wade "Calloway"); "" (nobody)
        where that does not tell them apart."""
        fulls = self._fulls_with.get(surname, [])
        unnamed = {full for full in fulls if not self.counts.get(full[0])}
        return self.key(" ".join(unnamed.pop())) if len(unnamed) == 1 else ""

    def is_thing(self, name: str) -> bool:
        """Whether the page names ``name`` only after "the" (``The Guardian called it…``) and never with a
        title: a paper, a band, a ship, not a person."""
        words = _strip_ranks(name)
        if _INSTITUTION_WORDS.intersection(words):
            return True  # ("Screen Quarterly", "the Herald")
        return bool(words) and self.after_article.get(words, False) and not self.titled.intersection(words)

    def is_person(self, name: str) -> bool:
        """Whether a capitalised word is a person's name rather than a word that starts a sentence: named
        mid-sentence, in full, or as the subject of a verb (and not only after "the")."""
        known = self._persons.get(name)
        if known is None:
            known = self._persons[name] = self._is_person(name)
        return known

    def _is_person(self, name: str) -> bool:
        words = _strip_ranks(name)
        if not words or _INSTITUTION_WORDS.intersection(words) or self.is_thing(name):
            return False
        if len(words) > 1:
            return any(set(words) <= set(full) for full in self.confirmed) or any(
                word in self.mid_sentence or word in self.subjects for word in words
            )
        word = words[0]
        return (
            word in self.mid_sentence
            or word in self.subjects
            or word in self.titled
            or word in self._fulls_with
        )

    def gender_of(self, name: str) -> str | None:
        """The gender the page shows for the person ``name`` means: by a title, a pronoun, a word for a
        relative (None where it shows none)."""
        words = _strip_ranks(name)
        forms = self.forms(words) if words else None
        for form in forms or words:
            if form in self.gender and (form in words or not self._shared_surname(form)):
                return self.gender[form]
        return None

    def _shared_surname(self, word: str) -> bool:
        """Whether ``word`` ends full names with two first names (``Jabez Threlfall``, ``Thirza
        Threlfall``): a gender read by it (``Her father, Jabez Threlfall``) is the family's, not each
        one's."""
        firsts = {
            full[0]
            for full in self._fulls_with.get(word, ())
            if full[-1] == word
            and len(full) > 1
            and (full in self.confirmed or self.full_counts.get(full, 0) > 1)
        }  # (not "Tell Carmona" at a sentence's start: a verb before the name)
        return len(firsts) > 1

    def likely_gender(self, name: str) -> str | None:
        """The gender the page shows for the person ``name`` means (``gender_of``), else the one their first
        name is almost only given to (``_prior_gender``); None when neither tells."""
        shown = self.gender_of(name)
        if shown is not None:
            return shown
        words = _strip_ranks(name)
        return self._prior_gender(words) if words else None

    def _prior_gender(self, words: tuple[str, ...]) -> str | None:
        """The gender of the first name of the person ``words`` names, from the census's first names: the
        first word of the full name the page gives them, or a one-word name it never uses after a title
        (``Detective Vance``: a surname)."""
        if words not in self._priors:
            self._priors[words] = self._find_prior_gender(words)
        return self._priors[words]

    def _find_prior_gender(self, words: tuple[str, ...]) -> str | None:
        if len(words) == 1 and words[0] in self.aliases:  # "Teflon", the nickname of "Bradley Holt"
            words = self.aliases[words[0]]
        if len(words) > 1:
            first = words[0]
        else:
            firsts = {full[0] for full in self._fulls_with.get(words[0], ())}
            if len(firsts) > 1 or (not firsts and words[0] in self.titled):
                return None  # two people ("Wade Calloway", "Eli Calloway"), or a surname after a title
            first = firsts.pop() if firsts else words[0]
        if first in MALE_FIRST_NAMES:
            return "m"
        return "f" if first in FEMALE_FIRST_NAMES else None


def _space_before(text: str, end: int) -> int:
    """Where the run of white space that ends at ``end`` starts (``end`` when there is none)."""
    while end and text[end - 1].isspace():
        end -= 1
    return end


def _ends_sentence(text: str, space: int, end: int) -> bool:
    """Whether ``text[:end]``, whose trailing white space starts at ``space``, ends a sentence
    (what ``_SENTENCE_END.search(text[:end])`` tells, without copying the text)."""
    if space == end:
        return False
    if space and text[space - 1] in "'’”\"":
        space -= 1
    return space > 0 and text[space - 1] in ".!?…"


def _names_actor(text: str, space: int, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` (white space before it from ``space``) is an actor's:
    ``played by X``, ``X plays``. The word before is found in the few characters before that white space."""
    if text[end - 2 : end] in ("’s", "'s"):
        return False  # "pinned to the fridge by Glenys’s husband": whose husband, not who plays him
    if _ACTOR_AFTER.match(text, end):
        return True
    before = _ACTOR_BEFORE.search(text, max(0, space - _ACTOR_WORD_MAX), start)
    if before is None:
        return False
    if before.group().strip().lower() != "by":
        return True
    # "by" names an actor after a verb of playing ("played with granite reserve by Marguerite Osei-Lind"), not
    # after any other ("visited by Marsh", "led by Fisk": a character)
    return bool(_PLAYED_BEFORE_BY.search(text, max(0, before.start() - _PLAYED_REACH), before.start()))


# A name in apposition to someone else's relation, or said to be someone's: "Marisol, his fiancée,", "Priti
# is his lookout" (the pronoun is the other's; not "is his own man", "is her usual self")
_RELATION_APPOSITIVE = re.compile(
    r"\s+(?:is|was)\s+(?:his|her)\s+(?!own\b|usual\b|old\b)[a-z-]+\b"
    r"|,\s+(?:his|her)\s+(?:[a-z-]+\s+)?(?:"
    + "|".join(sorted(_MALE_KIN | _FEMALE_KIN, key=len, reverse=True))
    + r"|fiancée|fiancé|fiancee|fiance|partner|lover|friend|boss|assistant|colleague|cousin)\b"
)


def _clause_gender(text: str, end: int) -> tuple[str | None, str | None]:
    """The gender shown by the clause after a name that ends at ``end``: (strong, weak) evidence, see
    ``SpeakerContext.learn``."""
    window = text[end : end + _CLAUSE_WINDOW]
    if not _GENDERING_PRONOUN.search(window) or _RELATION_APPOSITIVE.match(window):
        return None, None  # ("Marisol, his fiancée,": the "his" is the one she is described by)
    clause = _CLAUSE_END.split(window.lstrip(", "), maxsplit=1)[0]
    words = _WORDS.findall(clause)
    for index, word in enumerate(words[:10]):
        lower = word.lower()
        if lower in ("himself", "herself", "his"):
            return _PRONOUN_GENDER[lower], None
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if lower == "her" and following and following not in _DETERMINERS and not following.endswith("ly"):
            return "f", None
        if lower in ("her", "him"):
            # "Felix asks her to…" / "Felix tells her," — the object is someone else.
            if index == 1 and following in ("", "to"):
                return None, "m" if lower == "her" else "f"
            return None, None
        if lower in ("he", "she", "they"):
            return None, None
    return None, None


@lru_cache(maxsize=8192)
def _first_name(name: str) -> str:
    words = name.split()
    first = words[0]
    for word in words:
        if word.rstrip(".") not in _GENDERED_TITLES and word != DESCRIPTION_MARK:
            first = word
            break
    first = first.rstrip(".")
    return first[:-2] if first.endswith(("’s", "'s")) else first
