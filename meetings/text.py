"""How periods are named on screen and on paper."""

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
