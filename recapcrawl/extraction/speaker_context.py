"""``SpeakerContext``: the names one recap has mentioned so far, read once, for resolving speakers."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator

from .names import (
    _CLAUSE_WINDOW,
    _CLOSE_BRACKET,
    _GENDERED_TITLES,
    _HIS_HIM_HER_LETTERS,
    _HONORIFICS,
    _MALE_TITLES,
    _NAME,
    _NOT_NAMES,
    _OPEN_BRACKET,
    _PRONOUN_GENDER,
    _RANKS,
    NAME,
    Cast,
    _clause_gender,
    _ends_sentence,
    _first_name,
    _is_name,
    _names_actor,
    _possessive_in_phrase,
    _space_before,
    _words,
    descriptions_in,
    mask_descriptions,
    role_gender,
)
from .quote_spans import _HAS_QUOTE_MARK
from .text import block_text

_VERBS = (
    "says|said|say|asks|asked|ask|tells|told|tell|replies|replied|answers|answered|shouts|shouted|yells|"
    "yelled|whispers|whispered|mutters|muttered|snaps|snapped|adds|added|explains|explained|insists|"
    "insisted|declares|declared|announces|announced|admits|admitted|jokes|joked|quips|quipped|warns|"
    "warned|offers|offered|notes|noted|cries|cried|screams|screamed|sighs|sighed|murmurs|murmured|"
    "responds|responded|retorts|retorted|continues|continued|counters|countered|begs|begged|pleads|"
    "pleaded|demands|demanded|barks|barked|hisses|hissed|growls|growled|deadpans|deadpanned|remarks|"
    "remarked|concludes|concluded|reminds|reminded|assures|assured|informs|informed|confesses|confessed|"
    "protests|protested|laughs|laughed|teases|teased|calls|called|sings|sang|reads|read|repeats|repeated|"
    "corrects|corrected|agrees|agreed|wonders|wondered|muses|mused|promises|promised|begins|began|"
    "whispering|saying|asking|telling|shouting|yelling|muttering|reading|repeating|calling|singing|"
    "declaring|murmuring|hissing|snarling|barking|crying|insisting|protesting|demanding|"
    "insisting|explaining|adding|answering|replying|snapping|announcing|reports|reported|radios|radioed|"
    "mouths|mouthed|blurts|blurted|writes|wrote|texts|texted|recites|recited|calls out|shrugs|shrugged|"
    "groans|groaned|gasps|gasped|breathes|breathed|scoffs|scoffed|sneers|sneered|chirps|chirped|beams|"
    "beamed|grins|grinned|smiles|smiled|nods|nodded|reporting|radioing|mouthing|greets|greeted|greeting|"
    "slurs|slurred|mumbles|mumbling|squeaks|squeaked|squeaking|snarls|snarled|drawls|drawled|stammers|"
    "gushes|gushed|bellows|bellowed|hollers|hollered|wails|wailed|sobs|sobbed|rasps|rasped|croaks|croaked|"
    "purrs|purred|informing|warning|pleading|demanding|whimpers|whimpered|bristles|snipes|sniped|"
    "puts it|put it"
)


_ADVERB = (
    r"(?:\w+ly\s+|has\s+|had\s+|only\s+|just\s+|then\s+|finally\s+|simply\s+|again\s+|quietly\s+|still\s+"
    r"|now\s+|also\s+)*"
)


_SENTENCE_BREAKS = re.compile(r"[.!?…](?:\s|$)")


# (after a closing mark too: "around six.’ Aske sighs.")
# (not after a title's abbreviation: "Lindahl keeps him talking while Sgt. Nyqvist traces the call.")
_SENTENCE_GAPS = re.compile(
    r"(?<=[.!?…’”\"])(?<![^.!?…][’”\"])"
    + "".join(rf"(?<!\b{title}\.)" for title in sorted(_words("Mr Mrs Ms Mx Dr St Prof Capt Det Sgt Lt")))
    + r"\s+"
)


def _mention(match: re.Match[str]) -> tuple[str, int, int] | None:
    """The name a ``_NAME`` match mentions, for the cast, with where it is: after a word that starts a
    question only the rest ("Is Teller going…": Teller), after an honorific all of it ("Mrs Philippa
    Crouch"); None for such a word alone."""
    name = match.group()
    title = name.split(maxsplit=1)[0]
    if title not in _NOT_NAMES:
        return name, match.start(), match.end()
    rest = name[len(title) :].lstrip()
    if rest and title.rstrip(".") in _HONORIFICS:
        return name, match.start(), match.end()
    return (rest, match.end() - len(rest), match.end()) if rest else None


# The characters before the space before a name mid-sentence (see ``_NAME_MID_SENTENCE``)
_MID_SENTENCE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz,;:")


def _mid_sentence_inside(text: str, start: int, end: int, found: list[str]) -> int:
    """The ``_NAME_MID_SENTENCE`` matches that start at a word inside the ``_NAME`` match ``text[:end]``
    after ``start`` ("Bea Cid" of "Ann Bea Cid" after a full stop), appended to ``found``: where the last
    ends (0 for none; it may run past ``end``)."""
    last = 0
    at = text.find(" ", start, end)
    while at >= 0:
        at += 1
        if (
            text[at - 2] in _MID_SENTENCE_BEFORE
            and "A" <= text[at] <= "Z"
            and (inner := _NAME.match(text, at))
        ):
            found.append(inner.group())
            last = at = inner.end()
            if at >= end:
                break
        at = text.find(" ", at, end)
    return last


def _mentions_in(text: str) -> list[tuple[str, int, int]]:
    """Every name ``SpeakerContext.learn`` counts in ``text`` for the cast, with where it is."""
    return [mention for match in _NAME.finditer(text) if (mention := _mention(match)) is not None]


class SpeakerContext:
    """Names seen so far in one recap, so that a pronoun can be resolved to the latest one."""

    def __init__(self, excluded: set[str] | None = None) -> None:
        self.excluded = {e.casefold() for e in (excluded or set()) if e}
        self.known_first_names: set[str] = set()
        # Names mentioned outside quotes, oldest first, in chunks: a text seen stays unread (a str) until a
        # pronoun needs the names in it, and a pronoun needs only the latest ones; most pages resolve none.
        self._mentions: list[str | list[str]] = []
        self.gender: dict[str, str] = {}  # first name → "m" / "f", where the text shows it
        self.actors: set[str] = set()  # names in a "Character (Actor)" pair that are the actor's
        # what ``learn`` read and the names in it, for the cast (built when a speaker is named)
        self._texts: list[tuple[str, list[tuple[str, int, int]]]] = []
        self._cast: Cast | None = None
        self.block_start = 0  # where the current paragraph's mentions start (see ``attribute_speakers``)
        # a person of no gender the text shows → the genders of the tags' pronouns resolved to them
        self.called: dict[str, set[str]] = {}
        self._raw: dict[int, str] = {}  # index in _mentions → the text seen there
        # a list to trace into: the rule that named each quote's speaker (see ``attribute_speakers``)
        self.trace: list[str | None] | None = None
        # the learned ranker (``speaker_ranker``, measured, not used): where a list, each quote's candidates
        # and their features, the rules' pick and rule are appended to it (tools/train_speaker_ranker.py);
        # the three below are kept only then
        self.ranker_log: list[tuple[list[tuple[str, dict[str, float]]], str | None, str | None]] | None = None
        self.last_block = ""  # the text of the last paragraph with quotes
        self.block_end = 0  # len(_mentions) after it
        self.quote_history: list[tuple[str | None, str]] = []  # the rules' pick and the text of each quote
        self._plain_labels: set[str] | None = None  # see ``plain_labels``
        # the roles the page writes as names, with "the" ("the Duchess"; see ``mask_descriptions``): the nouns
        self.described: frozenset[str] = frozenset()
        self.described_gender: dict[str, str] = {}  # the gender a role's noun shows ("Duchess": "f")

    @property
    def recent(self) -> list[str]:
        """Names mentioned outside quotes so far, oldest first."""
        return list(self._latest_first())[::-1]

    def _latest_first(self) -> Iterator[str]:
        """Names mentioned so far, latest first, reading seen text for names only as far back as asked."""
        for index in range(len(self._mentions) - 1, -1, -1):
            chunk = self._mentions[index]
            if isinstance(chunk, str):
                chunk = self._mentions[index] = self.names_in(chunk)
            yield from reversed(chunk)

    def learn(self, text: str) -> None:
        """Read the whole body once: which capitalised words are names, and the genders it reveals.

        A name's gender comes from a title (``Mrs. Pell``), a possessive or reflexive pronoun in the
        clause it is the subject of (``Vale narrating her own…``), or, as weaker evidence, an object
        pronoun right after its verb (``Felix asks her to…`` suggests Felix is not "her").
        """
        if not _HAS_QUOTE_MARK.search(text):
            return  # no quoted speech to attribute
        for noun in descriptions_in(text):  # "the Duchess": a person the page does not name
            if noun not in self.described:
                self.described = self.described | {noun}
                if gender := role_gender(noun):
                    self.described_gender.setdefault(noun, gender)
        masked = mask_descriptions(text, self.described)  # (the cast reads "Thè Duchess" as a name)
        mentions: list[tuple[str, int, int]] = []  # every name, for the cast (see ``Cast``)
        self._texts.append((masked, mentions))
        self._cast = None
        self._plain_labels = None
        # name → first name: a page names the same few people again and again
        first_names: dict[str, str] = {}
        # the names ``_NAME_MID_SENTENCE.findall(text)`` finds, read off the ``_NAME`` matches (a second scan
        # of the whole text costs as much as the first), and where the last of them ends
        mid_sentence: list[str] = []
        mid_end = 0
        # Where the letters of "his", "him" or "her" occur, in any word: most clauses have none of them,
        # and then no gendering pronoun, so they need no closer look.
        hints = [found.start() for found in _HIS_HIM_HER_LETTERS.finditer(text)]
        weak: dict[str, str] = {}
        for match in _NAME.finditer(text):
            name = match.group()
            start, end = match.span()
            if (
                start >= mid_end
                and start > 1
                and text[start - 1] == " "
                and text[start - 2] in _MID_SENTENCE_BEFORE
            ):
                mid_sentence.append(name)
                mid_end = end
            elif " " in name:
                mid_end = _mid_sentence_inside(text, max(start, mid_end), end, mid_sentence) or mid_end
            title = name.split(maxsplit=1)[0]
            if title in _NOT_NAMES:  # a question word or an honorific before the name: no gender read here
                if (mention := _mention(match)) is not None:
                    mentions.append(mention)
                continue
            mentions.append((name, start, end))
            first = first_names.get(name)
            if first is None:
                first = first_names[name] = _first_name(name)
            if first in self.gender:
                continue  # the first evidence wins; later mentions cannot change it
            title = title.rstrip(".")
            if title in _GENDERED_TITLES:
                self.gender[first] = "m" if title in _MALE_TITLES else "f"
                continue
            if name.endswith(("’s", "'s")):
                continue  # "Mbeki’s predecessor drinks away his pension": the clause is the predecessor's
            hint = bisect_left(hints, end)
            if hint == len(hints) or hints[hint] > end + _CLAUSE_WINDOW - 3:
                continue
            strong, weaker = _clause_gender(text, end)
            if strong and _possessive_in_phrase(text, end, first, strong):
                continue  # "Yolanda, who has heard every one of his jokes": the "his" is someone else's
            if strong:
                self.gender[first] = strong
            elif weaker:
                weak.setdefault(first, weaker)
        self.known_first_names.update(first_names.get(name) or _first_name(name) for name in mid_sentence)
        for first, gender in weak.items():
            self.gender.setdefault(first, gender)
        if masked is not text:
            mentions[:] = _mentions_in(masked)
        self._learn_actors(masked, mentions)

    def _learn_actors(self, text: str, mentions: list[tuple[str, int, int]]) -> None:
        """The actor of each pair of names where one is in brackets after the other: recaps write both
        ``Character (Actor)`` and ``Actor (Character)``, and the character is the one the text names again
        (the one in brackets when neither is)."""
        pairs = [
            (outer, inner)
            for (outer, _, end), (inner, start, inner_end) in zip(mentions, mentions[1:], strict=False)
            # (most pairs have no bracket between them, which ``find`` tells faster than the pattern)
            if text.find("(", end, start) >= 0
            and _OPEN_BRACKET.fullmatch(text, end, start)
            and _CLOSE_BRACKET.match(text, inner_end)
        ]
        if not pairs:
            return
        words: dict[str, int] = {}
        for name, _, _ in mentions:
            for word in set(name.split()):
                words[word] = words.get(word, 0) + 1

        def named_again(name: str) -> int:
            return max(words.get(word, 0) for word in name.split()) - 1

        for outer, inner in pairs:
            self.actors.add(outer if named_again(inner) > named_again(outer) else inner)

    @property
    def plain_labels(self) -> set[str]:
        """The names (casefolded) that head a block's unquoted speech as a label somewhere on the page
        (``MEL: Okay, so we open on the hospital wing.``): a transcript, whose speakers' own words are not
        in quote marks, so that a quote after such a label is one they cite (``JONAH: “It has a fine
        roof.”``), not theirs."""
        if self._plain_labels is None:
            self._plain_labels = {
                match.group("who").casefold()
                for text, _ in self._texts
                for match in _PLAIN_LABEL.finditer(text)
            }
        return self._plain_labels

    def learn_element(self, element) -> None:
        """``learn`` the text of an lxml element, its blocks on lines of their own."""
        self.learn(block_text(element))

    def names_in(self, text: str) -> list[str]:
        """Names mentioned in plain (unquoted) text, in order, actors skipped."""
        names = []
        first_start = len(text) - len(text.lstrip())
        for match in _NAME.finditer(text):
            candidate = match.group(0)
            start = match.start()
            # Index arithmetic, not ``text[:start]``: slicing the text before every name is quadratic.
            space = _space_before(text, start)
            at_start = start == first_start or _ends_sentence(text, space, start)
            if not _is_name(candidate, self.known_first_names, at_start):
                continue
            if candidate in self.actors or _names_actor(text, space, start, match.end()):
                continue
            if candidate.casefold() in self.excluded:
                continue
            if _EMPHATIC_BEFORE.search(text, max(0, start - 16), start):
                continue  # "Kylie’s dad is Not Happy": capitals for emphasis, nobody's name (issue 15)
            if _CALLED_BEFORE.search(text, max(0, start - 24), start):
                continue  # "Gus calls her Margo": what "her" is called, nobody else (issue 15, session 12)
            names.append(candidate)
        return names

    def previous_block(self) -> str:
        """The block before the one being read: the last text seen (a paragraph without quotes) when
        something was seen after the last paragraph with quotes, else that paragraph."""
        if len(self._mentions) > self.block_end:
            return self._raw.get(len(self._mentions) - 1, "")
        return self.last_block

    def see(self, text: str) -> None:
        """Plain text that may mention names (read for them only when a pronoun needs it)."""
        self._raw[len(self._mentions)] = text
        self._mentions.append(text)

    def mention(self, name: str) -> None:
        """A name just mentioned (a quote's speaker)."""
        self._mentions.append([name])

    @property
    def cast(self) -> Cast:
        """The people the text that ``learn`` read names (built once, when first needed)."""
        if self._cast is None:
            self._cast = Cast(self._texts, self.described_gender | self.gender, self.described)
        return self._cast

    def titled_by(self, title: str) -> str | None:
        """The one person the page names after ``title`` (``Mayor Gord Halloran`` for "Mayor"), as the
        page's key, or None where it names nobody so or more than one person."""
        cast = self.cast
        keys = {
            cast.key(name)
            for _, mentions in self._texts
            for name, _, _ in mentions
            if any(_RANK_IN_FULL.get(rank, rank) == title for rank in _ranks_of(name))
            and len(name.split()) > 1
            and cast.is_person(name)
        }
        short = [rank for rank, full in _RANK_IN_FULL.items() if full == title and rank.isupper()]
        if short:
            # "DI Orla Wray" ("DI" is no title word of ``NAME``, which reads "Orla Wray" alone)
            after_rank = re.compile(rf"\b(?:{'|'.join(short)})\s+(?P<who>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")
            keys.update(
                cast.key(found.group("who"))
                for text, _ in self._texts
                for found in after_rank.finditer(text)
                if cast.is_person(found.group("who"))
            )
        if title in _PEERAGES:
            # "Alasdair Keir, ninth Earl of Strathearn", "Strathearn reads it": a peer goes by the place
            of_title = re.compile(rf"\b{title} of (?P<who>[A-Z][a-z]+)\b")
            keys.update(
                cast.key(found.group("who"))
                for text, _ in self._texts
                for found in of_title.finditer(text)
                if cast.is_person(found.group("who")) and self._named_alone(found.group("who"))
            )
        keys.discard("")
        return keys.pop() if len(keys) == 1 else None

    def _named_alone(self, word: str) -> bool:
        """Whether the page names ``word`` somewhere other than after "of" ("Strathearn reads it", not only
        "the Duchess of Marrow": there the place, and the Duchess her name)."""
        alone = re.compile(rf"(?<!\bof )\b{re.escape(word)}\b")
        return any(alone.search(text) for text, _ in self._texts)

    def described_as(self, key: str) -> str | None:
        """How to report a speaker whose key is a role's noun (``Duchess``): the one person the page names
        with that title (``Duchess Elena Marr``), else the description (``the Duchess``); None where ``key``
        is no role the page describes."""
        if key not in self.described:
            return None
        return self.titled_by(key) or f"the {key}"

    def resolve_speaker(
        self, pronoun: str, avoid: set[str] | frozenset[str] = frozenset(), reaction: bool = False
    ) -> str | None:
        """The person a pronoun in a speech tag means, or None where that is a guess: the latest person
        mentioned (not one of ``avoid``, not of the other gender); None when another person mentioned in
        the same stretch of text fits as well, or when the person was last named in an earlier paragraph
        and the text never showed their gender. Of two people who fit, the one who speaks in that text
        wins, and for a ``reaction`` (``Sookie tells Jackson the news, and his “…”``) the one told too."""
        if pronoun in ("they", "They"):
            return None  # most often a group ("the boycotters … they"); a person's "they" needs more
        cast = self.cast
        found = self._resolve_speaker(pronoun, avoid, reaction, cast.gender_of)
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        if found is None and wanted:
            # the genders the text shows leave it open: read again with each first name's likely gender
            found = self._resolve_speaker(pronoun, avoid, reaction, cast.likely_gender)
        if found and wanted and cast.gender_of(found) is None:
            # (see ``called_both``)
            self.called.setdefault(found, set()).add(wanted)
        return found

    def called_both(self, key: str) -> bool:
        """Whether tags' pronouns of both genders were resolved to the person ``key``, of no gender the text
        shows: "she tells him, “…” His reply (“…”)": at least one of them is a wrong guess, and either may
        be (issue 15, session 12)."""
        return len(self.called.get(key, ())) > 1

    def _resolve_speaker(
        self,
        pronoun: str,
        avoid: set[str] | frozenset[str],
        reaction: bool,
        gender_of: Callable[[str], str | None],
    ) -> str | None:
        """``resolve_speaker`` with the genders ``gender_of`` tells (the text's, or with the first names'
        likely ones too)."""
        cast = self.cast
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        avoided = {cast.key(name) for name in avoid if name}
        first: tuple[int, str, str | None] | None = None
        first_name = ""
        guessed = False  # a person named after the one chosen was passed over for a first name's gender
        for index, name in self._latest_first_indexed():
            if not cast.is_person(name):
                continue
            key = cast.key(name)
            if key in avoided or (first and key == first[1]):
                continue
            gender = gender_of(name)
            if wanted and gender and gender != wanted:
                if first is None and not guessed and cast.gender_of(name) is None:
                    guessed = not self._only_oblique(index, name)  # ("asked about Ashby": not a subject)
                continue
            if first is None:
                if wanted and self._beside_a_pronoun(index, name, pronoun):
                    continue  # "He makes his pitch above Mulreany’s pub. “…,” he says": not Mulreany
                first, first_name = (index, key, gender), name
                continue
            if index == first[0] and self._subject_beside(index, name, first_name):
                first, first_name = (index, key, gender), name  # the subject, not who is beside them
                continue
            if not (wanted and first[2] == wanted) and (
                index == first[0] or (index >= self.block_start and wanted and gender == wanted)
            ):
                if (
                    index == first[0]
                    and not (wanted and cast.gender_of(name) == wanted)  # (a rival shown so fits better)
                    and not self._pronoun_after(index, first_name, wanted)
                    and (
                        self._alone_in_last_sentence(index, first_name, name)
                        or self._speaks_in(index, first_name, reaction)
                    )
                    and not self._joined(index, first_name, name)
                ):
                    break
                return None  # two people fit, and the pronoun does not tell which
            if index < self.block_start:
                break
        if first is None or (guessed and first[2] != wanted):
            return None  # (the one left, of no gender known, is no better a guess than the one passed over)
        if first[0] < self.block_start and not (wanted and first[2] == wanted):
            return None
        if first[2] is not None and self._rival_in_sentence(
            first[0], first[1], first_name, wanted, avoided, gender_of
        ):
            return None  # two people fit the pronoun: a guess
        if wanted and first[2] is None and self._other_pronoun_after(first[0], first_name, wanted):
            return None  # "Moose insists he does. “…,” she says": the text went on calling Moose "he"
        if (
            wanted
            and first[2] is None
            and cast.likely_gender(first_name) not in (None, wanted)
            and (
                self._other_of_gender(first[1], wanted, avoided, self.block_start, cast.likely_gender)
                or self._other_of_gender(
                    first[1], wanted, avoided, self.block_start - _SHOWN_REACH, cast.gender_of
                )
            )
        ):
            # (issue 15, red team 2) "Miriam talks to Felix. He laughs. “…”": the one chosen, of no gender the
            # text shows, has a first name almost only given to the other gender, and someone else in the
            # paragraph, not ruled out, has one of the pronoun's (the reading by first names' genders decides)
            return None
        if wanted and first[2] is None and self._other_told_of_wanted(first[0], first_name, wanted):
            return None  # "Mold finishes her tea. Doyle brings her another. “…,” she says": not Doyle
        if wanted and first[2] is None and self._object_of_wanted_subject(first[0], first_name, wanted):
            return None  # "Her scene with Doyle is perfect. “…,” she says": the "her", not Doyle
        return first[1]

    def _other_of_gender(
        self, key: str, wanted: str, avoided: set[str], since: int, gender: Callable[[str], str | None]
    ) -> bool:
        """Whether the text names, from stretch ``since`` on, a person besides ``key``, not ``avoided``, whose
        ``gender`` is ``wanted``. With the paragraph's start and ``Cast.likely_gender``: someone here has a
        first name almost only given to that gender. With ``_SHOWN_REACH`` stretches more and
        ``Cast.gender_of``: someone lately the text shows of it (in ``Dr. Ambrose Fenn … “You moved him.” She
        didn’t. “Someone did,” she says`` the "she" is the chief the text has called so, not Ambrose)."""
        cast = self.cast
        for index, name in self._latest_first_indexed():
            if index < since:
                return False
            other = cast.key(name)
            if other == key or other in avoided or not cast.is_person(name):
                continue
            if gender(name) == wanted:
                return True
        return False

    def _other_told_of_wanted(self, index: int, name: str, wanted: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names ``name`` has, right after it, a
        verb and an object pronoun of the ``wanted`` gender (``Doyle brings her another``; not a
        possessive before a noun, ``Doyle grabs her coat``): someone else of that gender is in the scene,
        and ``name``, of no gender the text shows, is no better a guess for the pronoun than they are."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            at = sentence.rfind(name)
            if at >= 0:
                return bool(_OBJECT_OF_GENDER[wanted].match(sentence, at + len(name)))
        return False

    def _object_of_wanted_subject(self, index: int, name: str, wanted: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names ``name`` opens with a pronoun
        of the ``wanted`` gender for its subject or the subject's owner and names ``name`` after a
        preposition (``Her breakfast scene with Doyle``, ``She has words with Doyle``): that pronoun's person
        is in the scene, and ``name``, of no gender the text shows, is no better a guess (issue 15,
        session 12)."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            at = sentence.rfind(name)
            if at >= 0:
                return bool(
                    _WANTED_SUBJECT[wanted].match(sentence.lstrip(_OPENERS))
                    and _PREPOSITION_BEFORE.search(sentence, 0, at)
                )
        return False

    def _joined(self, index: int, name: str, other: str) -> bool:
        """Whether the text seen at ``index`` joins the two names as one subject (``Hal and Ronnie calling a
        truce``): what one of them does, the other does too, so it tells no pronoun which is meant."""
        raw = self._raw.get(index, "")
        return f"{other} and {name}" in raw or f"{name} and {other}" in raw

    def _other_pronoun_after(self, index: int, name: str, wanted: str) -> bool:
        """Whether the text seen at ``index``, after its last mention of ``name`` and before a pronoun's tag
        at its end, has a subject or reflexive pronoun of the other gender and names nobody else: the text
        went on speaking of ``name`` so, and the pronoun of ``wanted`` gender is likely someone else."""
        raw = self._raw.get(index, "")
        at = raw.rfind(name)
        if at < 0:
            return False
        rest = raw[at + len(name) :]
        tag = _TRAILING_PRONOUN_TAG.search(rest)
        if tag:
            rest = rest[: tag.start()]
        if self.names_in(rest):
            return False
        return bool(_OTHER_PRONOUNS[wanted].search(rest))

    def _rival_in_sentence(
        self,
        at: int,
        key: str,
        name: str,
        wanted: str | None,
        avoided: set[str],
        gender_of: Callable[[str], str | None],
    ) -> bool:
        """Whether the last sentence that names ``name`` (in the text seen at ``at``) names, besides ``key``
        (shown of the pronoun's gender), a person the pronoun may mean as well: one not avoided and not
        shown of the other gender (``Sousa, watching with Dwyer, isn’t buying it. “…,” she says``: Dwyer's
        "her" elsewhere does not make "she" Dwyer rather than Sousa)."""
        cast = self.cast
        sentences = _SENTENCE_GAPS.split(self._raw.get(at, ""))
        sentence = next((s for s in reversed(sentences) if name in s), "")
        subject = sentence.lstrip(_OPENERS).startswith(name)
        for other in self.names_in(sentence):
            if not cast.is_person(other):
                continue
            rival = cast.key(other)
            if rival in avoided or rival == key:
                continue
            if subject and _oblique(sentence, other):
                continue  # "Sousa, watching with Dwyer, isn’t buying it": the subject, not who is beside her
            if other.endswith(("’s", "'s")) and _owner_of(sentence, other, name):
                continue  # "Carla’s mother, Dorothy Bennett, …": Carla only owns the description of her
            if not (wanted and gender_of(other) not in (None, wanted)):
                return True
        return False

    def _subject_beside(self, index: int, subject: str, other: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names ``other`` starts with
        ``subject`` and names ``other`` only after a preposition
        (``Sousa, watching with Dwyer, isn’t buying it``)."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            if other in sentence:  # the latest mention of ``other`` decides
                return sentence.lstrip(_OPENERS).startswith(subject) and _oblique(sentence, other)
        return False

    def _only_oblique(self, index: int, name: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names ``name`` names it only after a
        preposition (``Hale, asked about Ashby on camera, pauses``)."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            if name in sentence:
                return _oblique(sentence, name)
        return False

    def _beside_a_pronoun(self, index: int, name: str, pronoun: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names ``name`` has ``pronoun`` for
        its subject and names ``name`` only after a preposition: the pronoun goes on meaning its subject."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            if name in sentence:
                opening = sentence.lstrip(_OPENERS)
                said = pronoun.lower()
                if opening[: len(said) + 1].lower() == said + " " and _oblique(sentence, name):
                    return True
                # "To Chip, whose spout has collapsed, he says, “…”": the tag's own subject is not the one
                # its sentence names after a preposition
                tag = _TRAILING_PRONOUN_TAG.search(sentence)
                return bool(
                    tag
                    and tag.group().split(maxsplit=1)[0].lower() == said
                    and _oblique(sentence[: tag.start()], name)
                )
        return False

    def people_in_block(self) -> Iterator[str]:
        """The people the current paragraph names so far, as the page's keys, latest first."""
        cast = self.cast
        for index, name in self._latest_first_indexed():
            if index < self.block_start:
                return
            if cast.is_person(name):
                yield cast.key(name)

    def people_before_block(self, limit: int, reach: int = 16) -> list[str]:
        """The latest ``limit`` people named before the current paragraph (within ``reach`` stretches of
        text), as the page's keys, latest first."""
        cast = self.cast
        found: list[str] = []
        for index in range(self.block_start - 1, max(-1, self.block_start - 1 - reach), -1):
            chunk = self._mentions[index]
            if isinstance(chunk, str):
                chunk = self._mentions[index] = self.names_in(chunk)
            for name in reversed(chunk):
                if cast.is_person(name) and (key := cast.key(name)) and key not in found:
                    found.append(key)
                    if len(found) == limit:
                        return found
        return found

    def someone_else_in_block(self, name: str, gender: str | None) -> bool:
        """Whether the current paragraph names a person besides ``name`` not known to be of ``gender``."""
        cast = self.cast
        key = cast.key(name)
        for index, other in self._latest_first_indexed():
            if index < self.block_start:
                return False
            if cast.is_person(other) and cast.key(other) != key and cast.gender_of(other) != gender:
                return True
        return False

    def _alone_in_last_sentence(self, index: int, name: str, other: str) -> bool:
        """Whether the last sentence of the text seen at ``index`` that names either person names only
        ``name`` (``Jory wants to wait. Ada does not. “…,” she says`` → Ada)."""
        for sentence in reversed(_SENTENCE_GAPS.split(self._raw.get(index, ""))):
            if other in sentence:
                return False
            if name in sentence:
                return True
        return False

    def _pronoun_after(self, index: int, name: str, wanted: str | None) -> bool:
        """Whether the text seen at ``index`` ends with a pronoun's tag in a sentence where, after ``name``,
        a pronoun of the tag's gender already means someone else (``When Ben asks if she is okay, she
        snaps,``: she is not Ben)."""
        if not wanted:
            return False
        raw = self._raw.get(index, "")[-300:]
        tag = _TRAILING_PRONOUN_TAG.search(raw)
        if tag is None:
            return False
        breaks = list(_SENTENCE_BREAKS.finditer(raw, 0, tag.start()))
        at = raw.rfind(name, breaks[-1].end() if breaks else 0, tag.start())
        return at >= 0 and bool(_GENDERED_WORDS[wanted].search(raw, at + len(name), tag.start()))

    def _speaks_in(self, index: int, name: str, told: bool = False) -> bool:
        """Whether the text seen at ``index`` has ``name`` as a speech verb's subject (``says Kim Roe``),
        or, when ``told`` counts, its object (``tells Jackson``)."""
        raw = self._raw.get(index, "")
        at = raw.rfind(name)
        after = _VERB_JUST_AFTER.match(raw, at + len(name)) if at >= 0 else None
        if after and after.group().endswith("ing") and _SEEN_BEFORE.search(raw, max(0, at - 20), at):
            after = None  # "Ingrid finds Paloma crying": what Paloma is doing when seen, no line of hers
        return at >= 0 and bool(
            _VERB_JUST_BEFORE.fullmatch(raw, 0, at)
            or after
            or (told and _VERB_ENDS.search(raw, max(0, at - 20), at))
        )

    def _latest_first_indexed(self) -> Iterator[tuple[int, str]]:
        """Like ``_latest_first``, with the index of the stretch of text each name is in."""
        for index in range(len(self._mentions) - 1, -1, -1):
            chunk = self._mentions[index]
            if isinstance(chunk, str):
                chunk = self._mentions[index] = self.names_in(chunk)
            for name in reversed(chunk):
                yield index, name

    def resolve(self, pronoun: str, avoid: str | None = None) -> str | None:
        """The most recent name the pronoun can refer to (not ``avoid``, not of the other gender)."""
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        for name in self._latest_first():
            if avoid and _first_name(name) == _first_name(avoid):
                continue
            known = self.gender.get(_first_name(name))
            if wanted and known and known != wanted:
                continue
            return name
        return None


# A label at a block's start (or right after a sentence, where blocks were joined) heading unquoted words:
# "MEL: Okay, so we open…" (not "Nora: “Traffic.”", not "9:07 — Client check: …")
_PLAIN_LABEL = re.compile(rf"(?:^|\n|(?<=[.!?…”\"’)]))[^\S\n]*(?P<who>{NAME}):[^\S\n]+(?=[A-Za-z])")


# The pronoun being resolved, at the end of the text before a quote: "she snaps, ", "and his "
_TRAILING_PRONOUN_TAG = re.compile(
    rf"(?:\b(?:he|she|He|She)\s+{_ADVERB}(?:{_VERBS})\b[^.!?]*|\b(?:[Hh]is|[Hh]er)\s+(?:[a-z-]+,?\s+){{0,2}})$"
)


_GENDERED_WORDS = {
    "f": re.compile(r"\b(?:she|her|hers|herself)\b", re.I),
    "m": re.compile(r"\b(?:he|him|his|himself)\b", re.I),
}


# A subject or reflexive pronoun of the other gender than the one wanted (not "him", "his" or "her", often
# somebody else's: "Ada kisses him", "Wren takes the wand out of his hand")
# A sentence whose subject is a pronoun of a gender, or owned by one: "She…", "Her breakfast scene…"
_WANTED_SUBJECT = {
    "f": re.compile(r"(?:She|Her)\b"),
    "m": re.compile(r"(?:He|His)\b"),
}
# A preposition right before a name: "with Doyle", "to Doyle"
# (and Scots ones: "runs tae Effie", "a letter fae Morag"; heldout15)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:with|to|at|for|from|about|against|beside|behind|toward|towards|tae|fae|intae|wi’|wi')\s+$"
)


_SHOWN_REACH = 8  # stretches of text before the paragraph that ``_other_of_gender`` looks back over


_OTHER_PRONOUNS = {
    "f": re.compile(r"\b(?:he|himself)\b", re.I),
    "m": re.compile(r"\b(?:she|herself)\b", re.I),
}


# A capitalised adverb mid-sentence, before capitals for emphasis: "is Not Happy", "was Very Upset"
# A verb of calling and its object pronoun right before a name: the name is that person's ("calls her Margo")
_CALLED_BEFORE = re.compile(r"\b(?:call|calls|called|calling|nicknames|nicknamed)\s+(?:her|him)\s+$")


_EMPHATIC_BEFORE = re.compile(
    r"(?<=[a-z,;] )(?:Not|No|Very|Too|Really|Totally|Completely|Quite|Extremely|Deeply|Utterly|Absolutely|"
    r"Seriously|Super|Most|So)\s+$"
)


# A verb right after a name and its object pronoun of the gender wanted ("Doyle brings her another", "Doyle
# tells him", "Doyle hands her the keys"): "her" only where no noun follows (not the possessive of "grabs
# her coat", which may be the subject's own)
_OBJECT_OF_GENDER = {
    "m": re.compile(r"\s+(?:[a-z]+ly\s+)?[a-z]+s\s+him\b"),
    "f": re.compile(
        r"\s+(?:[a-z]+ly\s+)?[a-z]+s\s+her(?=\s*(?:[.,;:!?)—–]|$)|\s+(?:a|an|the|another|some|one|his|their|"
        r"its|that|this|to|in|on|at|with|off|up|down|out|back|away|over|into|onto|from|for|and|but|as|about|"
        r"again|too)\b)"
    ),
}


_VERB_ENDS = re.compile(rf"\b(?:{_VERBS})\s+$")


# a tag right after a quote, its subject after the verb ("“…,” says Kim Roe"; not "Amos tells Peter")
_VERB_JUST_BEFORE = re.compile(rf"[\s,—–-]*(?:{_VERBS})\s+")


_VERB_JUST_AFTER = re.compile(rf",?\s+(?:{_VERBS})\b")


# A verb of finding or seeing right before a name: a participle after the name says what they are doing
_SEEN_BEFORE = re.compile(
    r"\b(?:finds|found|sees|saw|catches|caught|hears|heard|watches|watched|spots|spotted|notices|noticed|leaves|"
    r"left)\s+$"
)


# What may open a sentence before its subject's name: quote marks, brackets, dashes.
_OPENERS = " \t\n“”\"‘’'([—–-"
# A name after one of these is who the subject is with, beside or speaking to: not the subject.
_PREPOSITIONS = (
    r"(?:with|to|at|beside|behind|from|for|toward|towards|near|alongside|past|against|across\s+from"
    r"|in|into|on|onto|above|below|under|over|inside|outside|through|around|about|of|by|tae|fae|intae)"
)


def _owner_of(sentence: str, owner: str, name: str) -> bool:
    """Whether ``owner`` (a possessive) only owns a description of ``name`` set beside it between commas:
    ``Carla’s mother, Dorothy Bennett,``."""
    pattern = rf"(?<!\w){re.escape(owner)}\s+(?:[a-z-]+\s+){{0,2}}[a-z-]+,\s+{re.escape(name)}(?!\w)"
    return bool(re.search(pattern, sentence))


def _oblique(sentence: str, name: str) -> bool:
    """Whether every mention of ``name`` in ``sentence`` follows a preposition (``… watching with Dwyer``)."""
    mentions = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", sentence)]
    prepositions = re.compile(rf"\b{_PREPOSITIONS}\s+(?:the\s+|his\s+|her\s+|their\s+)?$", re.I)
    return bool(mentions) and all(prepositions.search(sentence, 0, at) for at in mentions)


# A rank's short form → the word a description uses for it ("DI Wray" is "the Inspector")
_RANK_IN_FULL = {
    "Capt": "Captain",
    "Det": "Detective",
    "Sgt": "Sergeant",
    "Lt": "Lieutenant",
    "Cmdr": "Commander",
    "Rev": "Reverend",
    "Prof": "Professor",
    "DI": "Inspector",
    "DCI": "Inspector",
    "DS": "Sergeant",
    "DC": "Constable",
    "PC": "Constable",
    "DSI": "Superintendent",
    "DCS": "Superintendent",
}


# Titles a peer holds "of" a place, which the page may use as the peer's name ("the Earl of Strathearn")
_PEERAGES = frozenset(
    {"Duke", "Duchess", "Earl", "Countess", "Marquess", "Marchioness", "Baron", "Baroness", "Viscount"}
    | {"Viscountess", "Laird"}
)


def _ranks_of(name: str) -> list[str]:
    """The titles and ranks that open a name, without their full stops (``Detective Sergeant Marisol
    Achebe``: Detective, Sergeant)."""
    words = [word.rstrip(".") for word in name.split()[:-1]]
    ranks = []
    for word in words:
        if word not in _RANKS:
            break
        ranks.append(word)
    return ranks
