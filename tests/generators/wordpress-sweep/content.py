# ruff: noqa: E501  (prose: the invented recaps, one paragraph per line)
"""Content for the wpsweep WordPress: invented shows, original prose.

Blocks: ("p", html) ("h2", text) ("h3", text) ("ul"/"ol", items) ("quote", text, cite) ("nextpage",)
items: "text" or ("text", [subitems]).
speakers: inline quote text (as rendered, without marks) -> speaker name; quotes not listed have speaker None.
comments: (key, parent_key, author, email, date_gmt, text, user_login_or_None, approved)
"""

import json
import os

AUTHORS = {
    "wren": {
        "display_name": "Wren Halloway",
        "first_name": "Wren",
        "last_name": "Halloway",
        "email": "wren@sweep.example",
    },
    "tobias": {
        "display_name": "Tobias Okafor",
        "first_name": "Tobias",
        "last_name": "Okafor",
        "email": "tobias@sweep.example",
    },
}

POSTS = []

POSTS.append(
    dict(
        type="post",
        recap=True,
        slug="harrowgate-2x04-recap-the-salt-ledger",
        title="Harrowgate 2x04 Recap: “The Salt Ledger”",
        author="wren",
        date="2024-03-04 20:15:00",
        categories=["Harrowgate", "Recaps"],
        tags=["Harrowgate Season 2", "period drama"],
        show="Harrowgate",
        season=2,
        episode=4,
        episode_title="The Salt Ledger",
        season_stated_in="title",
        blocks=[
            (
                "p",
                "Harrowgate has always been a show about money pretending to be a show about family, and “The Salt Ledger” finally drops the pretence. The whole hour turns on a single account book, found under a loose board in the counting house, and by the end every Pellam sibling has lied about it at least once.",
            ),
            (
                "p",
                "We open at the quay at dawn. Mara Pellam is checking barrels against a manifest while her brother Edmund sleeps off the harvest dinner in the wagon. A shot cracks across the water. “Get down,” Mara says, and pulls the clerk behind a stack of crates before anyone else has worked out what the noise was.",
            ),
            ("h2", "The book under the floor"),
            (
                "p",
                "The shooter is never seen, which is a smart choice. What matters is what the clerk was carrying: the second ledger, the one that records what the salt works actually earns rather than what the family tells the tax office. Mara reads three pages in the rain and goes very still.",
            ),
            (
                "p",
                "Back at the house, Edmund insists he has never seen the book before. “I can barely add up a dinner bill,” he tells her, which is true and also not an answer. Their mother, Lady Constance, takes the ledger, locks it in her writing desk, and says only, “We will discuss this after church.”",
            ),
            ("quote", "A family is a ledger that nobody agrees to close.", "Lady Constance Pellam"),
            ("h2", "Edmund at the tavern"),
            (
                "p",
                "The B-story sends Edmund into town to find out who fired the shot, and it is the most fun the show has had all season. Joss Fairweather plays him as a man who is only brave when he is slightly drunk, and the tavern scene is a small comic masterpiece of bluffing. When the landlord asks who is paying, Edmund answers, “The family, as always,” and slides over a coin he does not have.",
            ),
            (
                "p",
                "It turns out the shooter was hired by the harbourmaster, who has his own copy of the figures and his own reasons for wanting them buried. The reveal is a little rushed, but the look on Edmund’s face when he realises his mother already knew is worth the shortcut.",
            ),
            ("h3", "The verdict"),
            (
                "p",
                "This is the strongest Harrowgate since the season opener. It trusts its actors, it keeps the plot moving, and it ends on an image — Constance burning one page of the ledger and keeping the rest — that says more about her than any speech could.",
            ),
            ("h3", "More on Harrowgate 2x04"),
            (
                "ul",
                [
                    "The counting house set has a working abacus. Someone in the art department deserves a raise.",
                    "Mara’s “Get down” is the first time she has raised her voice all season.",
                    (
                        "Unanswered questions:",
                        ["Who taught Edmund to pick a lock?", "Why does the harbourmaster keep pigeons?"],
                    ),
                    "Next week: the salt works flood, apparently on purpose.",
                ],
            ),
        ],
        speakers={
            "Get down,": "Mara",
            "Get down": "Mara",
            "I can barely add up a dinner bill,": "Edmund",
            "We will discuss this after church.": "Lady Constance",
            "The family, as always,": "Edmund",
            "A family is a ledger that nobody agrees to close.": "Lady Constance Pellam",
        },
        comments=[
            (
                "a",
                None,
                "quayside_ruth",
                "ruth@reader.example",
                "2024-03-04 21:02:00",
                "The dawn scene at the quay is the best-looking thing this show has ever done.",
                None,
                1,
            ),
            (
                "b",
                "a",
                "Benedikt",
                "ben@reader.example",
                "2024-03-04 21:40:00",
                "Agreed, though the fog was doing a lot of the work.",
                None,
                1,
            ),
            (
                "c",
                "b",
                "Wren Halloway",
                "wren@sweep.example",
                "2024-03-04 22:05:00",
                "The fog was real, apparently! They shot it in a single morning.",
                "wren",
                1,
            ),
            (
                "d",
                None,
                "Priya S.",
                "priya@reader.example",
                "2024-03-05 08:15:00",
                "Constance burning one page and keeping the rest is going to haunt the whole season.\n\nAlso: who has the other copy?",
                None,
                1,
            ),
            (
                "e",
                "d",
                "millpond",
                "mill@reader.example",
                "2024-03-05 09:30:00",
                "The harbourmaster, surely. Why else the pigeons?",
                None,
                1,
            ),
            (
                "x",
                None,
                "spammy",
                "spam@reader.example",
                "2024-03-05 10:00:00",
                "Pending comment that must not appear.",
                None,
                0,
            ),
        ],
    )
)

POSTS.append(
    dict(
        type="post",
        recap=True,
        slug="copper-meridian-season-1-episode-3-review-tin-stars",
        title="Copper Meridian Season 1, Episode 3 Review: Tin Stars",
        author="tobias",
        date="2024-03-11 18:30:00",
        categories=["Copper Meridian", "Reviews"],
        tags=["Copper Meridian Season 1", "western"],
        show="Copper Meridian",
        season=1,
        episode=3,
        episode_title="Tin Stars",
        season_stated_in="title",
        blocks=[
            (
                "p",
                "Three weeks in, Copper Meridian is still working out whether it is a western or a workplace comedy that happens to have horses. Tin Stars leans hard toward the second, and I mean that as a compliment.",
            ),
            (
                "p",
                "The mining town of Meridian needs a new deputy after last week’s unfortunate incident with the dynamite, and the only applicants are Hattie Crook, who runs the laundry, and Silas Dunne, who has never held a gun the right way round. The town council, all four of them, decides to hold an election.",
            ),
            ("h2", "The campaign"),
            (
                "p",
                "The middle of the episode is a campaign montage, and it is where the writing really shines. Hattie promises clean shirts and fewer shootings. Silas promises free beer, which he also does not have. “Vote for the one who can count,” Hattie tells the miners, holding up a tally sheet that is mostly blank.",
            ),
            (
                "p",
                "Sheriff Amos Rourke watches all of this from the porch of the jail with the weary patience of a man who has seen three deputies come and go since spring. He gets the best line of the hour when the mayor asks for his opinion: “I would vote for the horse.”",
            ),
            ("h2", "Election day"),
            (
                "p",
                "The vote itself is held in the saloon and counted on a chalkboard, and of course it ends in a tie. The tie-break — a shooting contest at bottles on a fence — is staged like a real showdown, with long shots and a harmonica on the soundtrack, before Silas misses every bottle and Hattie hits all six.",
            ),
            (
                "p",
                "It is a slight episode. Nothing much changes, the larger mystery of the sealed mine shaft is barely mentioned, and the villain from the pilot is absent entirely. But the ensemble is finding its rhythm, and Hattie is quickly becoming the heart of the show.",
            ),
            ("h3", "Loose ends"),
            (
                "ul",
                [
                    "Silas’s campaign hat is the same one the mayor lost in the pilot.",
                    "The chalkboard tally is correct, I checked. Twenty-two votes each.",
                    "Rourke’s horse is credited as “Biscuit” in the end titles.",
                ],
            ),
            ("p", "Grade: B. A breather episode, but a charming one."),
        ],
        # "I would vote for the horse." -> None: the sentence names the mayor too
        speakers={"Vote for the one who can count,": "Hattie"},
        comments=[],
    )
)

POSTS.append(
    dict(
        type="post",
        recap=True,
        slug="nightjar-bay-s03e02-recap-the-lamplighter",
        title="Nightjar Bay S03E02 recap – The Lamplighter",
        author="wren",
        date="2024-03-18 21:00:00",
        categories=["Nightjar Bay", "Recaps"],
        tags=["Nightjar Bay Season 3", "mystery"],
        show="Nightjar Bay",
        season=3,
        episode=2,
        episode_title="The Lamplighter",
        season_stated_in="title",
        blocks=[
            (
                "p",
                "After last week’s premiere spent most of its running time re-establishing who hates whom in Nightjar Bay, The Lamplighter gets back to what the show does best: a single locked-room puzzle, a storm, and Inspector Oona Vail being quietly smarter than everyone around her.",
            ),
            ("h2", "A body in the lamp room"),
            (
                "p",
                "The keeper of the Nightjar light is found dead at the top of the tower, the door bolted from the inside, the lamp still turning. Young Constable Ferris wants to call it an accident. “Nobody bolts a door and then falls down the stairs,” Oona says, and starts counting the steps.",
            ),
            (
                "p",
                "The investigation is a slow, patient thing, built mostly out of conversations in kitchens. The keeper’s sister, Agnes, insists he had no enemies. The ferryman says the keeper owed money to half the village. The vicar, who has been suspiciously helpful in every episode so far, says nothing at all and offers more tea.",
            ),
            (
                "p",
                "My favourite scene is a quiet one. Oona sits in the lamp room at night with the light going round, timing it with her watch. “Twelve seconds,” she tells Ferris. “It should be ten.” Someone slowed the mechanism, and that someone needed the beam to miss a particular stretch of water.",
            ),
            ("h2", "The solution"),
            (
                "p",
                "The answer, when it comes, is neat without being too clever: the keeper was not killed in the tower at all, and the bolted door is a piece of theatre staged by someone who knew the tides better than he did. I will not say who, but the episode plays fair, and every clue is on screen before the reveal.",
            ),
            (
                "p",
                "If there is a weakness, it is Ferris, who is written as so slow that it becomes hard to believe he passed any exam. The show seems to know this, and gives him one good moment near the end when he spots the wet footprints that Oona missed.",
            ),
            ("h3", "Notes from the tower"),
            (
                "ul",
                [
                    "The lighthouse is real and sits on the north coast; the interiors are a set.",
                    "Oona’s watch was her father’s, according to a line in season one.",
                    "The vicar now has a body count of zero and a suspicion count of about nine.",
                ],
            ),
        ],
        speakers={
            "Nobody bolts a door and then falls down the stairs,": "Oona",
            "Twelve seconds,": "Oona",
            "It should be ten.": "Oona",
        },
        comments=[
            (
                "a",
                None,
                "Tidewatcher",
                "tide@reader.example",
                "2024-03-18 22:10:00",
                "I timed the lamp too! It really is twelve seconds in the wide shot.",
                None,
                1,
            ),
            (
                "b",
                "a",
                "Ferris Fan Club",
                "ffc@reader.example",
                "2024-03-18 22:45:00",
                "Leave Ferris alone, he found the footprints.",
                None,
                1,
            ),
            (
                "c",
                "b",
                "Tidewatcher",
                "tide@reader.example",
                "2024-03-18 23:01:00",
                "Fair. One footprint each for the season so far.",
                None,
                1,
            ),
            (
                "d",
                "c",
                "Wren Halloway",
                "wren@sweep.example",
                "2024-03-19 07:45:00",
                "I am counting the footprints now too. This is what the show does to people.",
                "wren",
                1,
            ),
            (
                "e",
                None,
                "old_lamp",
                "lamp@reader.example",
                "2024-03-19 12:00:00",
                "The vicar did it. The vicar always did it.<br>I will keep saying this until I am right.",
                None,
                1,
            ),
        ],
    )
)

POSTS.append(
    dict(
        type="post",
        recap=True,
        slug="copper-meridian-season-1-episode-4-review-the-long-haul",
        title="Copper Meridian Season 1, Episode 4 Review: The Long Haul",
        author="tobias",
        date="2024-03-25 19:00:00",
        categories=["Copper Meridian", "Reviews"],
        tags=["Copper Meridian Season 1", "western"],
        show="Copper Meridian",
        season=1,
        episode=4,
        episode_title="The Long Haul",
        season_stated_in="title",
        blocks=[
            (
                "p",
                "Copper Meridian finally leaves town this week, and the change of scenery does wonders. The Long Haul is a road episode, or a trail episode, following a wagon of ore across forty miles of desert to the railhead, and it is easily the best hour the show has made.",
            ),
            (
                "p",
                "Newly elected Deputy Hattie Crook is in charge of the wagon, which nobody is happy about, least of all the driver, a grizzled teamster called Orrin Vance who has made the trip a hundred times and would prefer not to have a laundress giving him directions.",
            ),
            ("h2", "Out on the trail"),
            (
                "p",
                "The first half is almost entirely the two of them bickering on the wagon seat, and the actors make it sing. “You drive, I’ll worry,” Hattie says at one point, and Orrin replies, “You’ll do both badly.” It is a cheap joke, but the delivery is perfect.",
            ),
            (
                "p",
                "Then the water barrel turns out to be half empty, and the episode turns with it. Somebody in Meridian wanted this wagon to fail.",
            ),
            ("nextpage",),
            ("h2", "The ambush that isn’t"),
            (
                "p",
                "The second half sets up an ambush at a dry creek and then refuses to deliver it. The riders on the ridge turn out to be a family of settlers who are just as thirsty as everyone else, and the standoff becomes a negotiation over a barrel of water and a sack of flour.",
            ),
            (
                "p",
                "It is a lovely subversion. Hattie talks them down with the same stubborn logic she used in the election, and when the settlers’ eldest son asks why she is helping them, she says, “Because the railhead is still twenty miles away and I can’t push the wagon myself.”",
            ),
            (
                "p",
                "The wagon makes it, barely, and the final scene back in Meridian hints at who emptied the barrel. I have a theory, and it involves the mayor’s missing hat.",
            ),
            ("h3", "Trail notes"),
            (
                "ul",
                [
                    "Orrin’s mule is called Deacon and steals every scene it is in.",
                    "The settlers speak a little Welsh, which is a nice historical detail.",
                    "Grade: A-minus.",
                ],
            ),
        ],
        speakers={
            "You drive, I’ll worry,": "Hattie",
            "You’ll do both badly.": "Orrin",
            "Because the railhead is still twenty miles away and I can’t push the wagon myself.": "Hattie",
        },
        comments=[
            (
                "a",
                None,
                "Deacon's Biggest Fan",
                "deacon@reader.example",
                "2024-03-25 20:00:00",
                "The mule. The MULE. Give Deacon his own spinoff.",
                None,
                1,
            ),
            (
                "b",
                "a",
                "Tobias Okafor",
                "tobias@sweep.example",
                "2024-03-25 20:30:00",
                "Deacon would need a better agent than mine.",
                "tobias",
                1,
            ),
            (
                "c",
                None,
                "railhead_rita",
                "rita@reader.example",
                "2024-03-25 21:15:00",
                "Finally a western that cares about logistics.",
                None,
                1,
            ),
            (
                "d",
                None,
                "Hal",
                "hal@reader.example",
                "2024-03-26 06:50:00",
                "The mayor emptied the barrel. Calling it now.",
                None,
                1,
            ),
            (
                "e",
                "d",
                "Marguerite",
                "marg@reader.example",
                "2024-03-26 07:10:00",
                "It is obviously Silas, he needs the deputy job back.",
                None,
                1,
            ),
            (
                "f",
                "e",
                "Hal",
                "hal@reader.example",
                "2024-03-26 07:40:00",
                "Silas can't empty a barrel without falling in it.",
                None,
                1,
            ),
            (
                "g",
                None,
                "Juniper",
                "juni@reader.example",
                "2024-03-26 10:05:00",
                "Loved the Welsh. My grandmother would have cried.",
                None,
                1,
            ),
            (
                "h",
                None,
                "saddle_sore",
                "saddle@reader.example",
                "2024-03-26 13:20:00",
                "Forty miles in a day with a loaded wagon is not realistic, sorry.",
                None,
                1,
            ),
            (
                "i",
                "h",
                "Orrin Stan",
                "orrin@reader.example",
                "2024-03-26 14:00:00",
                "They left the night before, watch the lamp in the first scene.",
                None,
                1,
            ),
            (
                "j",
                "i",
                "saddle_sore",
                "saddle@reader.example",
                "2024-03-26 14:30:00",
                "Oh. Fair enough, I missed that.",
                None,
                1,
            ),
            (
                "k",
                None,
                "Bram",
                "bram@reader.example",
                "2024-03-27 09:00:00",
                "Best episode so far. The standoff that isn't is a lovely idea.",
                None,
                1,
            ),
            (
                "l",
                None,
                "cactus_jack",
                "cactus@reader.example",
                "2024-03-27 18:45:00",
                "Can we talk about the harmonica? It's back and it's wonderful.",
                None,
                1,
            ),
            (
                "m",
                "l",
                "Juniper",
                "juni@reader.example",
                "2024-03-27 19:10:00",
                "Same player as the pilot, according to the credits.",
                None,
                1,
            ),
        ],
    )
)

POSTS.append(
    dict(
        type="post",
        recap=True,
        slug="harrowgate-2x05-recap-low-water",
        title="Harrowgate 2x05 Recap: “Low Water”",
        author="wren",
        date="2024-03-11 20:15:00",
        categories=["Harrowgate", "Recaps"],
        tags=["Harrowgate Season 2", "period drama"],
        show="Harrowgate",
        season=2,
        episode=5,
        episode_title="Low Water",
        season_stated_in="title",
        blocks=[
            (
                "p",
                "The salt works flood, as promised, and “Low Water” spends its hour standing in the wreckage asking who opened the sluice gate. It is a bleaker episode than last week’s, and a better-looking one.",
            ),
            (
                "p",
                "The opening shot is a long, slow pan across the drowned evaporation pans, white crust floating on brown water, with the Pellam family standing on the bank in their church clothes. Nobody speaks for almost a minute. Then Edmund says, “Well, at least it’s clean,” and Mara walks away.",
            ),
            ("h2", "Counting the losses"),
            (
                "p",
                "Most of the episode is Mara and the foreman, Tom Hesketh, going through what can be saved. These scenes are procedural in the best way: buckets, pumps, arguments about whether the brine is spoiled. Hesketh is the show’s most underused character, and it is a pleasure to see him given room.",
            ),
            (
                "p",
                "The mystery of the sluice gate is solved rather quickly. The lock was not forced, which means a key, and only three people have a key. Constance is one of them, and the episode plays her reaction to that fact beautifully: no denial, just a long look at her daughter.",
            ),
            ("h2", "The harbourmaster again"),
            (
                "p",
                "Meanwhile the harbourmaster, now definitely the villain of the season, makes his offer: he will buy the flooded works for a fraction of their value. “You have until the tide turns,” he says, which is a slightly silly line, but the actor sells it.",
            ),
            (
                "p",
                "The ending, with Mara refusing the offer and Constance quietly signing something in the next room, sets up the back half of the season nicely.",
            ),
            ("h3", "More on Harrowgate 2x05"),
            (
                "ul",
                [
                    "The pans were flooded for real; the production built them in a disused quarry.",
                    "Hesketh’s pipe is the same one his actor smoked in a very different show ten years ago.",
                    "Edmund does not drink in this episode, and it is noticeable.",
                ],
            ),
        ],
        # "You have until the tide turns," -> None: "the harbourmaster" is a role, not a named character
        speakers={"Well, at least it’s clean,": "Edmund"},
        comments=[
            (
                "a",
                None,
                "Priya S.",
                "priya@reader.example",
                "2024-03-11 21:30:00",
                "That opening pan was gorgeous.",
                None,
                1,
            ),
            (
                "b",
                "a",
                "quayside_ruth",
                "ruth@reader.example",
                "2024-03-11 22:00:00",
                "It looked like a painting. I paused it twice.",
                None,
                1,
            ),
        ],
    )
)

POSTS.append(
    dict(
        type="post",
        recap=True,
        slug="nightjar-bay-s03e03-recap-undertow",
        title="Nightjar Bay S03E03 recap – Undertow",
        author="tobias",
        date="2024-03-25 21:00:00",
        categories=["Nightjar Bay", "Recaps"],
        tags=["Nightjar Bay Season 3", "mystery"],
        show="Nightjar Bay",
        season=3,
        episode=3,
        episode_title="Undertow",
        season_stated_in="title",
        blocks=[
            (
                "p",
                "Undertow is the episode where Nightjar Bay remembers it has a season-long story, and the switch from locked-room puzzle to conspiracy is not entirely smooth. Still, there is a lot to like.",
            ),
            (
                "p",
                "A fishing boat comes back without its skipper, and the crew all tell the same story in the same words. Oona notices immediately. “They rehearsed it,” she tells Ferris. “Innocent people never agree on anything.”",
            ),
            ("h2", "The rehearsed story"),
            (
                "p",
                "The crew are interviewed one by one in the harbour office, and the episode cuts between them in a way that makes their identical answers funny and then sinister. By the third interview you are mouthing the words along with them.",
            ),
            (
                "p",
                "The break comes from the youngest deckhand, who cannot remember which way the wind was blowing because he was seasick below deck the whole night. He was not on deck, so he could not have seen the skipper fall. The others are lying, and now Oona knows which part.",
            ),
            ("h2", "A bigger picture"),
            (
                "p",
                "The back half connects the missing skipper to the lighthouse from last week, and to a shipping company that has been buying up the village one cottage at a time. It is a lot to pack into the last fifteen minutes, and some of the exposition lands with a thud.",
            ),
            (
                "p",
                "But the final scene, Oona alone on the harbour wall reading the company’s name off a crate, is a genuine chill.",
            ),
            ("h3", "Notes"),
            (
                "ol",
                [
                    "The harbour office clock is stopped at twenty past four in every scene.",
                    "Ferris gets a second good moment. Two in a row. Growth.",
                ],
            ),
        ],
        speakers={"They rehearsed it,": "Oona", "Innocent people never agree on anything.": "Oona"},
        comments=[
            (
                "a",
                None,
                "old_lamp",
                "lamp@reader.example",
                "2024-03-25 22:15:00",
                "The stopped clock has to mean something.",
                None,
                1,
            ),
            (
                "b",
                "a",
                "Tidewatcher",
                "tide@reader.example",
                "2024-03-25 22:40:00",
                "Twenty past four is when the tide turned last week. I checked.",
                None,
                1,
            ),
            (
                "c",
                "b",
                "Tobias Okafor",
                "tobias@sweep.example",
                "2024-03-26 08:00:00",
                "You people are going to solve this before the writers do.",
                "tobias",
                1,
            ),
        ],
    )
)

# ---------------------------------------------------------------- not recaps
POSTS.append(
    dict(
        type="post",
        recap=False,
        slug="nightjar-bay-renewed-for-a-fourth-season",
        title="Nightjar Bay Renewed for a Fourth Season",
        author="wren",
        date="2024-03-28 09:00:00",
        categories=["Nightjar Bay", "News"],
        tags=["Nightjar Bay Season 4", "renewals"],
        blocks=[
            (
                "p",
                "The network confirmed on Thursday that Nightjar Bay will return for a fourth season, with filming starting on the north coast in the autumn.",
            ),
            (
                "p",
                "The lead actress is signed on, and so, we are told, is the lighthouse. No word yet on whether Constable Ferris survives the current run of episodes.",
            ),
            ("p", "Season three continues next Monday."),
        ],
        comments=[],
    )
)
POSTS.append(
    dict(
        type="post",
        recap=False,
        slug="spring-premiere-dates-harrowgate-copper-meridian-and-more",
        title="Spring Premiere Dates: Harrowgate, Copper Meridian and More",
        author="tobias",
        date="2024-02-20 12:00:00",
        categories=["News"],
        tags=["premieres"],
        blocks=[
            (
                "p",
                "A quick round-up of when our shows are coming back this spring. All dates are for the first broadcast.",
            ),
            (
                "ul",
                [
                    "Harrowgate season 2 returns February 12, with episodes weekly on Mondays.",
                    "Copper Meridian premieres February 26, three episodes in the first week.",
                    "Nightjar Bay season 3 starts March 11.",
                ],
            ),
            ("p", "We will be recapping all three every week."),
        ],
        comments=[],
    )
)
POSTS.append(
    dict(
        type="post",
        recap=False,
        slug="ten-tv-lighthouses-ranked",
        title="Ten TV Lighthouses, Ranked",
        author="wren",
        date="2024-03-30 10:00:00",
        categories=["Lists"],
        tags=["lists"],
        blocks=[
            (
                "p",
                "Television loves a lighthouse. Here are the ten best, from merely atmospheric to genuinely frightening.",
            ),
            (
                "ol",
                [
                    "The Nightjar light, Nightjar Bay",
                    "The harbour light in Harrowgate, seen mostly in the background",
                    "A painted backdrop lighthouse from an old children’s show",
                    "Every lighthouse in every ghost anthology, collectively",
                ],
            ),
            ("p", "Disagree? The comments are open."),
        ],
        comments=[],
    )
)
POSTS.append(
    dict(
        type="page",
        recap=False,
        slug="about",
        title="About",
        author="wren",
        date="2024-01-02 09:00:00",
        categories=[],
        tags=[],
        blocks=[
            (
                "p",
                "Lamp &amp; Ledger is a small blog about television, written by two people who watch too much of it.",
            ),
            (
                "p",
                "Wren writes about Harrowgate and Nightjar Bay. Tobias writes about Copper Meridian and anything with a horse in it.",
            ),
        ],
        comments=[],
    )
)


def block_markup(blocks):
    out = []
    for b in blocks:
        kind = b[0]
        if kind == "p":
            out.append(f"<!-- wp:paragraph -->\n<p>{b[1]}</p>\n<!-- /wp:paragraph -->")
        elif kind in ("h2", "h3"):
            level = int(kind[1])
            attrs = "" if level == 2 else ' {"level":3}'
            out.append(f"<!-- wp:heading{attrs} -->\n<{kind}>{b[1]}</{kind}>\n<!-- /wp:heading -->")
        elif kind in ("ul", "ol"):
            out.append(list_markup(kind, b[1]))
        elif kind == "quote":
            out.append(
                f'<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>{b[1]}</p><cite>{b[2]}</cite></blockquote>\n<!-- /wp:quote -->'
            )
        elif kind == "nextpage":
            out.append("<!-- wp:nextpage -->\n<!--nextpage-->\n<!-- /wp:nextpage -->")
    return "\n\n".join(out)


def list_markup(tag, items):
    attrs = ' {"ordered":true}' if tag == "ol" else ""
    parts = []
    for it in items:
        if isinstance(it, tuple):
            parts.append(f"<li>{it[0]}<ul>" + "".join(f"<li>{s}</li>" for s in it[1]) + "</ul></li>")
        else:
            parts.append(f"<li>{it}</li>")
    return f"<!-- wp:list{attrs} -->\n<{tag}>" + "".join(parts) + f"</{tag}>\n<!-- /wp:list -->"


if __name__ == "__main__":
    data = {"authors": AUTHORS, "posts": []}
    for p in POSTS:
        q = dict(p)
        q["content"] = block_markup(p["blocks"])
        data["posts"].append(q)
    with open(
        os.path.join(os.environ.get("SWEEP", "/tmp/wpsweep"), "wp", "content.json"), "w", encoding="utf-8"
    ) as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    print(len(data["posts"]), "posts")
