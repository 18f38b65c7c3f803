"""Conversation scripts every channel must pass: the same words, the same behaviour.

A step is ``(kind, value, expected)``: ``kind`` is ``say`` (type ``value``)
or ``press`` (press the shown button whose label contains ``value``);
``expected`` are substrings the replies to that step must contain.
"""

from __future__ import annotations

Step = tuple[str, str, tuple[str, ...]]

SCRIPTS: dict[str, list[Step]] = {
    "start_menu_help": [
        ("say", "/start", ("Article 16 Assistant", "What would you like to do?")),
        ("press", "Help", ("/profile", "/language")),
    ],
    "profile": [
        ("say", "/profile", ("What is your full name?",)),
        ("say", "Amina Diallo", ("Which country",)),
        ("say", "Senegal", ("What is your role?",)),
        ("press", "Basel focal point", ("✓ Basel focal point",)),
        ("press", "Done", ("In which language",)),
        ("press", "English", ("check your answers", "Amina Diallo", "Senegal")),
        ("press", "Save", ("Your profile is saved.",)),
    ],
    "question_with_sources": [
        ("say", "where is the regional centre for the Pacific?", ("Apia", "Sources:")),
        ("press", "Helpful", ("Thank you for the feedback.",)),
    ],
    "decline_and_hand_off": [
        ("say", "give me a recipe for paella", ("can't help with that",)),
        ("press", "Ask the Secretariat", ("passed to the Secretariat",)),
    ],
    "need_questionnaire_and_my_needs": [
        ("say", "/need", ("For which country is this need?",)),
        ("say", "Kenya", ("What is your role?",)),
        ("press", "Basel focal point", ("✓ Basel focal point",)),
        ("press", "Done", ("Which convention(s)",)),
        ("press", "Basel Convention", ("✓ Basel Convention",)),
        ("press", "Done", ("In which area(s)",)),
        ("press", "E-waste", ("✓ E-waste",)),
        ("press", "Done", ("What type(s) of assistance",)),
        ("press", "Webinar", ("✓ Webinar",)),
        ("press", "Done", ("How high a priority",)),
        ("press", "High", ("Describe the need",)),
        (
            "say",
            "Customs officers cannot recognise e-waste declared as second-hand goods.",
            ("Who should take part",),
        ),
        ("say", "Customs officers", ("About how many participants?",)),
        ("say", "25", ("Which format",)),
        ("press", "Online", ("In which language(s)",)),
        ("press", "French", ("✓ French",)),
        ("press", "Done", ("When",)),
        ("press", "Within 12 months", ("check your answers", "E-waste", "Customs officers")),
        ("press", "Submit", ("Your need #1",)),
        ("say", "/needs", ("#1",)),
    ],
    "cancel_keeps_asking_politely": [
        ("say", "/profile", ("What is your full name?",)),
        ("say", "/cancel", ("Do you want to stop here?",)),
        ("press", "No, continue", ("What is your full name?",)),
        ("say", "/cancel", ("Do you want to stop here?",)),
        ("press", "Yes, stop", ("Nothing was saved.",)),
    ],
}
