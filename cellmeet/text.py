"""Vietnamese text helpers: normalisation and the order Vietnamese lists use."""

import unicodedata

# The Vietnamese alphabet, in its own order (đ after d, ă and â after a, ...), with
# f, j, w and z where the Latin alphabet has them: they occur in names of the
# Central Highlands peoples ("Y Jút"), and ICU's Vietnamese collation puts them there.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks in dictionary order: none, grave, hook, tilde, acute, dot below.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn

# The marks that build a sort key, in the order they must compare: the end of a list
# of words below the gap between two words ("Lê" before "Lê Thị"), that gap below any
# other character, punctuation and digits below letters ("H'Hen" before "Ha"), and
# letters from outside the alphabet last.
_END_OF_WORDS = " "
_BETWEEN_WORDS = "!"
_GIVEN_THEN_FAMILY = "#"
_NOT_A_LETTER = "$"
_LETTER_OUTSIDE_THE_ALPHABET = "~"
_FIRST_LETTER = 0x41


def searchable(*texts):
    """Lower case, no diacritics, đ as d: how search compares Vietnamese text."""
    return fold(" ".join(normalize_text(text) for text in texts if text))


def fold(text):
    """The folding of `searchable`, without normalising white space (so that search
    can fold one character at a time and keep track of where it came from)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# Invisible controls that reorder text on screen (embeddings and overrides, isolates,
# and the left-to-right, right-to-left and Arabic letter marks): with them, minutes
# could read differently from what is stored. Vietnamese never needs them.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_WITHOUT_BIDI_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


def clean_text(value):
    """NFC without bidi controls, line breaks kept: what we store of a text box."""
    return unicodedata.normalize("NFC", value or "").translate(_WITHOUT_BIDI_CONTROLS)


def normalize_text(value):
    """Clean text with collapsed white space: what we store and print of a name."""
    return " ".join(clean_text(value).split())


def _split_letter_and_tone(char):
    decomposed = unicodedata.normalize("NFD", char.lower())
    base = decomposed[0]
    marks = decomposed[1:]
    tone = 0
    letter_marks = ""
    for mark in marks:
        if mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
        elif mark in _LETTER_MARKS:
            letter_marks += mark
    letter = unicodedata.normalize("NFC", base + letter_marks)
    return letter, tone


def _word_key(word):
    letters = []
    tones = []
    for char in word:
        letter, tone = _split_letter_and_tone(char)
        rank = _LETTER_RANK.get(letter)
        if rank is not None:
            letters.append(chr(_FIRST_LETTER + rank))
        elif letter.isalpha():
            letters.append(_LETTER_OUTSIDE_THE_ALPHABET + letter)
        else:
            letters.append(_NOT_A_LETTER + letter)
        tones.append(str(tone))
    return "".join(letters), "".join(tones)


def vietnamese_sort_key(text):
    """A string whose plain (binary) order is the Vietnamese dictionary order.

    Letters decide first, over all the words; tones only between texts of the same
    letters. A text that is the start of another, word for word, comes first.
    """
    words = [word for word in normalize_text(text).split(" ") if word]
    if not words:
        return ""
    letter_parts, tone_parts = zip(*(_word_key(word) for word in words), strict=True)
    return _BETWEEN_WORDS.join(letter_parts) + _END_OF_WORDS + _BETWEEN_WORDS.join(tone_parts)


def split_full_name(full_name):
    """("Nguyễn Thị", "Lan") for "Nguyễn Thị Lan": the given name is the last word."""
    words = normalize_text(full_name).split(" ")
    return " ".join(words[:-1]), words[-1]


def name_sort_key(full_name):
    """Vietnamese lists sort by given name, then by family and middle names.

    Stored in Member.sort_key: a change here needs a migration that saves the keys
    again (see members/migrations/0002_resave_name_sort_keys.py).
    """
    family_and_middle, given = split_full_name(full_name)
    return vietnamese_sort_key(given) + _GIVEN_THEN_FAMILY + vietnamese_sort_key(family_and_middle)
