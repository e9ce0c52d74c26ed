#!/usr/bin/env python3
"""Writes the benchmark corpus: `short.txt` and `long.txt`, one message a line.

The corpus is synthetic and deterministic (a fixed seed), so that every run
of the benchmarks reads the same bytes and the files can be regenerated and
diffed. It is written for speed measurement, not accuracy: what matters is
the mix a live IVS Chat room sends a review hook.

* `short.txt`: 2,000 chat lines of 5 to 60 bytes (the bulk of real chat).
* `long.txt`: 200 messages of exactly 500 characters (IVS Chat's limit).

Both mix clean lines (about 70 % of short lines, half of long messages) with
profane ones, spelled plainly or disguised the way chat users disguise words
(leetspeak, repeated letters, spacing, self-censoring, look-alike letters,
zero-width characters), and include non-ASCII text: emoji, accented Latin,
Cyrillic, Greek, Japanese, Korean, Arabic.

Run from this directory: `python3 generate.py`.
"""

import random

SEED = 20261122
SHORT_LINES = 2000
LONG_MESSAGES = 200
LONG_CHARS = 500

# Clean chat: stream and game talk, questions, reactions.
CLEAN = [
    "gg", "gg wp", "nice shot", "lets gooo", "what a play", "that was close",
    "hi chat", "hello from brazil", "first time here", "love this stream",
    "how long is the stream today", "what game is this", "is this ranked",
    "can you show your settings", "what mouse do you use", "whats the build",
    "he was lagging for sure", "the boss has two phases", "check the map",
    "go left go left", "behind you", "reload first", "use the shield",
    "ok that was clean", "no way that hit", "that aim tho", "clip it",
    "someone clip that", "pog", "kekw", "lul", "omegalul", "w stream",
    "big w", "rip", "f in the chat", "press f", "he is cooking",
    "chat is moving so fast", "mods are asleep", "brb getting food",
    "just got here what did i miss", "the new patch is out tomorrow",
    "queue times are long tonight", "my team keeps feeding", "ez clap",
    "thanks for the raid", "welcome raiders", "can we get a hype train",
    "subbed for 12 months", "thanks for the gift sub", "drop a follow",
    "the classic assassin build is back", "grab a cocktail after the match",
    "we passed the class test", "my cat walked on the keyboard",
    "i live near scunthorpe", "essex represent", "the analyst desk is good",
    "hello from sussex", "pass the ball", "shitake mushrooms are great",
    "that cockpit view is nice", "dickens wrote that", "the bass drop",
    "peacock feathers", "the grass is greener", "assess the situation",
    "he is a therapist", "cumulative damage", "skyscraper map",
    "bullseye", "hancock was a good movie", "scrapbook",
]

EMOJI = ["🎉", "😂", "🔥", "💯", "👍", "😭", "🤣", "❤️", "👀", "🙏", "😎", "🏆",
         "💀", "🤔", "🥳", "😡", "👏", "🫡", "✨", "🍿"]

UNICODE_LINES = [
    "¡qué jugada!", "très bien joué", "schöne grüße aus köln", "ça marche",
    "olá pessoal", "dziękuję bardzo", "привет всем", "хорошая игра",
    "γεια σου", "ナイス", "すごい！", "こんにちは", "이거 뭐야", "대박",
    "مرحبا", "你好", "加油", "niño", "crème brûlée", "açaí bowl",
    "İstanbul'dan selamlar", "jó játék", "hyvä peli", "čau všichni",
]

PROFANE = [
    "fuck", "fucking", "shit", "bullshit", "bitch", "ass", "asshole",
    "damn", "crap", "bastard", "dick", "piss", "cunt", "whore", "slut",
    "wanker", "motherfucker", "dumbass",
]

FRAMES = [
    "{w}", "what the {w}", "{w} this game", "oh {w}", "you {w}",
    "this is {w}", "{w} off", "holy {w}", "{w} that was bad", "such {w}",
    "stop being a {w}", "{w} lag", "the ref is a {w}", "{w} {w}",
    "lmao {w}", "{w} you", "get rekt {w}",
]

LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "l": "1"}
LOOKALIKE = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х",
             "i": "і", "s": "ѕ", "u": "υ"}  # Cyrillic and Greek


def disguise(rng, word):
    """The word as a chat user might write it to slip past a filter."""
    kind = rng.choice(["plain", "plain", "upper", "leet", "repeat", "spaced",
                       "dotted", "censor", "lookalike", "fullwidth", "zwsp"])
    if kind == "plain":
        return word
    if kind == "upper":
        return word.upper() if rng.random() < 0.5 else word.capitalize()
    if kind == "leet":
        return "".join(rng.choice(LEET[c]) if c in LEET and rng.random() < 0.6 else c
                       for c in word)
    if kind == "repeat":
        i = rng.randrange(len(word))
        return word[:i] + word[i] * rng.randint(2, 6) + word[i + 1:]
    if kind == "spaced":
        return " ".join(word)
    if kind == "dotted":
        return rng.choice(".-_").join(word)
    if kind == "censor" and len(word) >= 4:
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + "*" + word[i + 1:]
    if kind == "lookalike":
        return "".join(LOOKALIKE[c] if c in LOOKALIKE and rng.random() < 0.5 else c
                       for c in word)
    if kind == "fullwidth":
        return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c
                       for c in word)
    if kind == "zwsp":
        i = rng.randrange(1, len(word))
        return word[:i] + "\u200b" + word[i:]
    return word


def clean_line(rng):
    line = rng.choice(CLEAN + UNICODE_LINES)
    if rng.random() < 0.3:
        line = line.capitalize()
    if rng.random() < 0.25:
        line += " " + "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.1:
        line += rng.choice(["!", "!!!", "?", "??", "...", " :)", " xD"])
    return line


# Every profane line written, so a long message can tell whether it has one.
FRAMES_USED = set()


def profane_line(rng):
    word = disguise(rng, rng.choice(PROFANE))
    line = rng.choice(FRAMES).format(w=word)
    if rng.random() < 0.2:
        line += " " + rng.choice(EMOJI)
    FRAMES_USED.add(line)
    return line


def short_lines(rng):
    lines = []
    while len(lines) < SHORT_LINES:
        line = profane_line(rng) if rng.random() < 0.3 else clean_line(rng)
        if 5 <= len(line.encode()) <= 60:
            lines.append(line)
    return lines


def long_message(rng, profane, foreign):
    parts = []
    while sum(len(p) + 1 for p in parts) < LONG_CHARS:
        if foreign and rng.random() < 0.7:
            parts.append(rng.choice(UNICODE_LINES))
        elif profane and rng.random() < 0.12:
            parts.append(profane_line(rng))
        else:
            parts.append(clean_line(rng))
    if profane and not any(p in FRAMES_USED for p in parts):
        parts.insert(rng.randrange(len(parts) // 2 + 1), profane_line(rng))
    text = " ".join(parts)
    return text[:LONG_CHARS].rstrip().ljust(LONG_CHARS, ".")


def long_messages(rng):
    return [long_message(rng, profane=i % 2 == 1, foreign=i % 7 == 0)
            for i in range(LONG_MESSAGES)]


def main():
    rng = random.Random(SEED)
    short = short_lines(rng)
    long = long_messages(rng)
    for name, lines in [("short.txt", short), ("long.txt", long)]:
        with open(name, "w", encoding="utf-8", newline="\n") as f:
            for line in lines:
                assert "\n" not in line and "\r" not in line
                f.write(line + "\n")


if __name__ == "__main__":
    main()
