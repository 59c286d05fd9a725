"""Train and measure the learned speaker ranker (recapcrawl/extraction/speaker_ranker.py).

Needs the ``train`` extra (scikit-learn): ``pip install -e '.[train]'``. Reads the ten speaker sets in
tests/speakers/ (dev, heldout, heldout2 … heldout9; no other folder), runs each passage through the real
extraction with ``SpeakerContext.ranker_log`` on (each quote's candidates and features, the rules' pick and
rule), and pairs each quote with its gold speaker.

    python tools/train_speaker_ranker.py                   # leave-one-set-out table, rules vs the variants
    python tools/train_speaker_ranker.py --write model.json  # ... and the model trained on all ten sets

Leave-one-set-out: for each set, the model is trained on the other nine and scored on it. Its thresholds
are chosen on the nine training sets only, from out-of-fold probabilities (each training set scored by a
model trained on the other eight), for precision >= ``--target`` (0.97). Variants:

  rules     the rules alone (the extraction as it is)
  abstain   the ranker names a speaker only where the rules named nobody: its best candidate where its
            probability reaches the lowest threshold at which its own picks are ``--target`` precise
  overrule  also the quotes of the rules whose strict precision on the training sets is below ``--weak``
            (0.95, at least 5 picks): there the ranker decides (its best candidate, at a threshold of its own
            chosen the same way, else nobody)
  veto      the weak rules keep their pick unless the model's probability for it is below the lowest
            threshold at which the picks kept are ``--target`` precise

Scores as tests/speakers/score_speakers.py: precision = right named / named (named extra quotes count
against), accuracy = quotes whose speaker equals gold, null included / gold quotes (a quote not found is
wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "speakers"))

from score_speakers import _norm  # noqa: E402

from recapcrawl.extraction.body import _parse_fragment, split_body  # noqa: E402
from recapcrawl.extraction.dom import text_of  # noqa: E402
from recapcrawl.extraction.quotes import SpeakerContext  # noqa: E402
from recapcrawl.extraction.speaker_ranker import Model  # noqa: E402

SETS = ["dev", "heldout"] + [f"heldout{n}" for n in range(2, 10)]  # never any other folder
EXTRA = "\0extra"  # gold of a quote found that the gold list does not have

Rows = list[tuple[str, dict[str, float]]]


@dataclass
class Item:
    """One quote found (or one gold quote not found: ``found`` False)."""

    gold: str | None  # the gold speaker (EXTRA for a quote the gold list lacks)
    found: bool
    final: str | None = None  # the extraction's speaker without the ranker
    pick: str | None = None  # the rules' pick in ``attributions`` (before a heading's credit)
    rule: str | None = None
    rows: Rows = field(default_factory=list)
    ranked: bool = False  # went through ``attributions`` (has rows)
    text: str = ""  # the quote (for reading the misses)
    where: str = ""  # voice[passage]


def extract(html: str) -> list[tuple[str, str | None, tuple[Rows, str | None, str | None] | None]]:
    context = SpeakerContext()
    context.learn(text_of(_parse_fragment(html)))
    context.ranker_log = []
    body = split_body(html, context)
    log = iter(context.ranker_log)
    out = []
    for quote in body.quotes:
        entry = next(log) if quote.source != "quote" else None
        out.append((quote.text, quote.speaker, entry))
    return out


def load(name: str) -> list[Item]:
    items: list[Item] = []
    for path in sorted((ROOT / "tests" / "speakers" / name).glob("*.json")):
        voice = json.loads(path.read_text(encoding="utf-8"))
        for number, passage in enumerate(voice["passages"]):
            got = extract(passage["html"])
            where = f"{path.stem}[{number}]"
            waiting = list(range(len(got)))
            for text, gold in passage["quotes"]:
                match = next((i for i in waiting if _norm(got[i][0]) == _norm(text)), None)
                if match is None:
                    items.append(Item(gold=gold, found=False, text=text, where=where))
                    continue
                waiting.remove(match)
                items.append(_item(gold, got[match], where))
            for i in waiting:
                items.append(_item(EXTRA, got[i], where))
    return items


def _item(
    gold: str | None, got: tuple[str, str | None, tuple[Rows, str | None, str | None] | None], where: str
) -> Item:
    text, final, entry = got
    if entry is None:
        return Item(gold=gold, found=True, final=final, text=text, where=where)
    rows, pick, rule = entry
    return Item(
        gold=gold,
        found=True,
        final=final,
        pick=pick,
        rule=rule,
        rows=rows,
        ranked=True,
        text=text,
        where=where,
    )


# ---------------------------------------------------------------- model


def fit(items: list[Item], c: float, overrule: set[str]) -> dict[str, float]:
    """Logistic weights over the (quote, candidate) pairs of the quotes the ranker decides (``applies``):
    label 1 for the gold speaker, 0 for every other candidate."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    features, labels = [], []
    for item in items:
        if not applies(item, overrule):
            continue
        for key, f in item.rows:
            features.append(f)
            labels.append(int(key == item.gold))
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform(features)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, labels)
    weights = dict(zip(vectorizer.get_feature_names_out(), model.coef_[0], strict=True))
    weights["bias"] = weights.get("bias", 0.0) + float(model.intercept_[0])
    return {k: float(v) for k, v in weights.items()}


def choose(weights: dict[str, float], rows: Rows) -> tuple[str | None, float]:
    """As ``speaker_ranker.Model.choose``."""
    return Model(weights, 1.0).choose(rows)


def applies(item: Item, overrule: set[str]) -> bool:
    """Whether the ranker decides this quote: the rules named nobody, or a rule it overrules did."""
    return item.ranked and bool(item.rows) and (item.pick is None or item.rule in overrule)


def population(item: Item) -> str:
    return "abstained" if item.pick is None else "overruled"


def decide(
    item: Item, choice: tuple[str | None, float] | None, thresholds: dict[str, float], overrule: set[str]
):
    """The speaker the extraction gives with the ranker (the heading credit only where the rules and the
    ranker left the heading's quote without one)."""
    if choice is None or not applies(item, overrule):
        return item.final
    best, p = choice
    if best and p >= thresholds[population(item)]:
        return best
    return item.final if item.pick is None else None


def score(items: list[Item], speakers: list[str | None]) -> tuple[float, float, int]:
    gold = named = right_named = right = 0
    for item, said in zip(items, speakers, strict=True):
        if item.gold != EXTRA:
            gold += 1
        if not item.found:
            continue
        if said:
            named += 1
            right_named += said == item.gold
        if item.gold != EXTRA:
            right += (said or None) == item.gold
    return right_named / (named or 1), right / (gold or 1), named


def pick_threshold(pairs: list[tuple[float, bool]], target: float) -> float:
    """The lowest threshold at which the ranker's picks (probability, right) are at least ``target``
    precise (1.01: none)."""
    pairs = sorted(pairs, key=lambda pair: -pair[0])
    best = 1.01
    right = 0
    for count, (p, ok) in enumerate(pairs, start=1):
        right += ok
        if right / count >= target:
            best = p
    return best


def rule_precision(items: list[Item]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    for item in items:
        if item.ranked and item.pick:
            tally = counts.setdefault(item.rule or "?", [0, 0])
            tally[0] += 1
            tally[1] += item.pick == item.gold
    return {rule: (n, r) for rule, (n, r) in counts.items()}


def weak_rules(items: list[Item], weak: float) -> set[str]:
    return {rule for rule, (n, r) in rule_precision(items).items() if n >= 5 and r / n < weak}


def pick_probability(weights: dict[str, float], item: Item) -> float:
    """The model's probability for the rules' own pick (1.0 where the pick is no candidate)."""
    row = next((f for key, f in item.rows if key == item.pick), None)
    return Model(weights, 1.0).probability(row) if row is not None else 1.0


def fit_veto(items: list[Item], c: float, overrule: set[str]) -> dict[str, float]:
    return fit([item for item in items if item.pick is not None], c, overrule)


def veto_threshold(pairs: list[tuple[float, bool]], target: float) -> float:
    """The lowest veto threshold v (picks with probability below v dropped) at which the picks kept are at
    least ``target`` precise."""
    pairs = sorted(pairs)
    right = sum(ok for _, ok in pairs)
    kept = len(pairs)
    for p, ok in pairs:
        if not kept or right / kept >= target:
            return p
        right -= ok
        kept -= 1
    return 1.01


def veto_oof(sets, names, c, overrule) -> list[tuple[float, bool]]:
    pairs = []
    for name in names:
        train = [item for other in names if other != name for item in sets[other]]
        weights = fit_veto(train, c, overrule)
        for item in sets[name]:
            if item.ranked and item.pick and item.rule in overrule:
                pairs.append((pick_probability(weights, item), item.pick == item.gold))
    return pairs


def oof_choices(
    sets: dict[str, list[Item]], names: list[str], c: float, overrule: set[str]
) -> dict[str, list]:
    """Each set's choices by a model trained on the other sets of ``names``."""
    out = {}
    for name in names:
        train = [item for other in names if other != name for item in sets[other]]
        weights = fit(train, c, overrule)
        out[name] = [choose(weights, item.rows) if applies(item, overrule) else None for item in sets[name]]
    return out


def thresholds_from(sets, names, choices, overrule, target) -> dict[str, float]:
    """Per population (abstained, overruled): the lowest threshold at ``target`` precision there."""
    pairs: dict[str, list[tuple[float, bool]]] = {"abstained": [], "overruled": []}
    for name in names:
        for item, choice in zip(sets[name], choices[name], strict=True):
            if choice is not None and choice[0]:
                pairs[population(item)].append((choice[1], choice[0] == item.gold))
    return {kind: pick_threshold(found, target) for kind, found in pairs.items()}


def _abstained_curve(sets: dict[str, list[Item]], c: float) -> None:
    """How well the ranker reads the quotes the rules leave without a speaker, out of fold: its best
    candidates, most probable first, and how many of them are right."""
    oof = oof_choices(sets, SETS, c, set())
    scored = [
        (choice[1], choice[0] == item.gold)
        for name in SETS
        for item, choice in zip(sets[name], oof[name], strict=True)
        if choice is not None and choice[0]
    ]
    abstained = [item for name in SETS for item in sets[name] if applies(item, set())]
    named = [item for item in abstained if item.gold not in (None, EXTRA)]
    reachable = [item for item in named if any(key == item.gold for key, _ in item.rows)]
    print(
        f"quotes the rules leave without a speaker: {len(abstained)}, {len(named)} with a gold speaker, "
        f"{len(reachable)} of them among the candidates"
    )
    scored.sort(key=lambda pair: -pair[0])
    parts = []
    for top in (10, 20, 40, 80, len(scored)):
        right = sum(ok for _, ok in scored[:top])
        parts.append(f"top {top}: {right}/{top} ({right / top:.2f}, p >= {scored[top - 1][0]:.2f})")
    print("ranker's best candidate, out of fold, most probable first: " + "; ".join(parts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--write", metavar="PATH", help="write the model trained on all ten sets to PATH (JSON)"
    )
    parser.add_argument("--variant", choices=("abstain", "overrule"), default="abstain")
    parser.add_argument("--target", type=float, default=0.97)
    parser.add_argument("--weak", type=float, default=0.95)
    parser.add_argument("-C", type=float, default=1.0, dest="c")
    args = parser.parse_args(argv)
    sets = {name: load(name) for name in SETS}
    results: dict[str, list[tuple[float, float]]] = {"rules": [], "abstain": [], "overrule": [], "veto": []}
    header = f"{'fold':<10} {'quotes':>6} | {'rules P/A':>13} | {'abstain P/A (t)':>20}"
    print(header + " | overrule P/A (t abstained/overruled) | veto P/A (v)")
    for test in SETS:
        train_names = [n for n in SETS if n != test]
        train = [item for n in train_names for item in sets[n]]
        items = sets[test]
        line = [f"{test:<10} {sum(i.gold != EXTRA for i in items):>6}"]
        p, a, _ = score(items, [item.final for item in items])
        results["rules"].append((p, a))
        line.append(f"{p:.3f} / {a:.3f}")
        for variant in ("abstain", "overrule"):
            overrule = weak_rules(train, args.weak) if variant == "overrule" else set()
            inner = oof_choices(sets, train_names, args.c, overrule)
            t = thresholds_from(sets, train_names, inner, overrule, args.target)
            weights = fit(train, args.c, overrule)
            choices = [choose(weights, item.rows) if applies(item, overrule) else None for item in items]
            said = [decide(item, ch, t, overrule) for item, ch in zip(items, choices, strict=True)]
            p, a, _ = score(items, said)
            results[variant].append((p, a))
            shown = f"{t['abstained']:.2f}" + (f"/{t['overruled']:.2f}" if overrule else "")
            line.append(f"{p:.3f} / {a:.3f} ({shown})")
        overrule = weak_rules(train, args.weak)
        v = veto_threshold(veto_oof(sets, train_names, args.c, overrule), args.target)
        weights = fit_veto(train, args.c, overrule)
        said = [
            None
            if item.ranked and item.pick and item.rule in overrule and pick_probability(weights, item) < v
            else item.final
            for item in items
        ]
        p, a, _ = score(items, said)
        results["veto"].append((p, a))
        line.append(f"{p:.3f} / {a:.3f} ({v:.2f})")
        print(" | ".join(line))
        print(f"{'':<10} weak rules (training precision < {args.weak}): {' '.join(sorted(overrule))}")
    for variant, figures in results.items():
        mp = sum(p for p, _ in figures) / len(figures)
        ma = sum(a for _, a in figures) / len(figures)
        print(f"mean {variant:<9} precision {mp:.3f} accuracy {ma:.3f}")
    _abstained_curve(sets, args.c)
    if args.write:
        everything = [item for n in SETS for item in sets[n]]
        overrule = weak_rules(everything, args.weak) if args.variant == "overrule" else set()
        oof = oof_choices(sets, SETS, args.c, overrule)
        t = thresholds_from(sets, SETS, oof, overrule, args.target)
        weights = fit(everything, args.c, overrule)
        data = {
            "about": "tools/train_speaker_ranker.py --write: logistic weights over (quote, candidate) "
            "features, trained on the ten speaker sets; thresholds from leave-one-set-out probabilities "
            f"at precision >= {args.target}",
            "variant": args.variant,
            "threshold": round(t["abstained"], 4),
            "overrule_threshold": round(t["overruled"], 4),
            "overrule": sorted(overrule),
            "weights": {k: round(v, 4) for k, v in sorted(weights.items()) if abs(v) >= 1e-4},
        }
        Path(args.write).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.write} (thresholds {t}, overrule {sorted(overrule)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
