"""Tell a certificate from a sign-in sheet from anything else, with a score and reasons.

A page is a certificate only on several cues together (``certifies that``, ``Certificate of
Completion``, ``successfully completed``, hours, a course number, a date), and at least one
of them must be completion wording: a memo announcing a course or an invoice for it mentions
"course" and "hours" too. A sign-in sheet has a title (``Sign-In Sheet``, ``Roster``) and/or a
header row of columns (``Name | Badge | Signature``) over many rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.caption_column import labels_of_rows
from extractors.captions import caption_field
from extractors.dates import find_dates
from extractors.layout import Row, build_rows
from extractors.numbers import find_hours
from extractors.table import find_person_table
from extractors.types import DocumentKind, PageText

CERTIFICATE_THRESHOLD = 4.0
SIGN_IN_THRESHOLD = 4.0
MIN_WORDS = 6
#: Rows naming someone under a name/badge/signature header that make a page a sheet.
MIN_PERSON_ROWS = 3
#: Two already where every row holds a badge number and the columns are about persons, not
#: a course's facts (a short sheet of two attendees was read as a certificate of its first
#: one, no signature checked; a certificate's table of the officer's course, date and hours,
#: or a state form's boxes under "Name | ID" captions, is no sheet).
MIN_PERSON_ROWS_SHORT = 2

# (name, weight, pattern, strong): strong cues say a training was completed.
CERT_CUES: tuple[tuple[str, float, re.Pattern[str], bool], ...] = tuple(
    (name, weight, re.compile(rx, re.I), strong)
    for name, weight, rx, strong in (
        ("certify-that", 3.0, r"\bcertif(?:y|ies)\s+that\b|\bis\s+to\s+certify\b|"
                              r"\bhereby\s+certif", True),
        ("certificate-of", 3.0, r"\bcertificate\s+of\s+(?:completion|attendance|achievement|"
                                r"training|participation|accomplishment)\b", True),
        ("completed", 2.0, r"\b(?:successfully|satisfactorily)\s+(?:completed|completing|passed)"
                           r"\b|\bhas\s+(?:completed|attended|participated)\b|\bcompletion\b|"
                           r"\bcompleted\b|\bfor\s+attending\b|\battended\b", True),
        ("training-record", 2.0, r"\btraining\s+(?:record|transcript|history)\b|"
                                 r"\btranscript\b", True),
        ("awarded", 1.5, r"\b(?:awarded|presented|issued)\s+to\b", True),
        ("certificate", 1.0, r"\bcertificate\b", False),
        ("course", 0.5, r"\bcourse\b|\btraining\b|\bclass\b", False),
        ("post-board", 1.0, r"\b(?:tcole|post|cjstc|cjtc|gpstc|peace\s+officer\s+standards|"
                            r"commission\s+on\s+law\s+enforcement)\b", False),
        ("topic", 0.5, r"de-?\s?escalation|crisis\s+intervention|use\s+of\s+force", False),
    )
)
NEGATIVE_CUES: tuple[tuple[str, float, re.Pattern[str]], ...] = tuple(
    (name, weight, re.compile(rx, re.I))
    for name, weight, rx in (
        ("invoice", -5.0, r"\binvoice\b|\bamount\s+due\b|\bbalance\s+due\b|\bremit\b|"
                          r"\bbill\s+to\b|\bpurchase\s+order\b|\bsubtotal\b"),
        ("memo", -1.5, r"\bmemorandum\b|\bmemo\b|^\s*(?:subject|re)\s*:"),
        ("announcement", -2.0, r"\bwill\s+be\s+held\b|\bplease\s+(?:attend|register|complete)\b|"
                               r"\bupcoming\b|\bmust\s+complete\b|\bregistration\s+confirm|"
                               r"\byou\s+are\s+registered\b|\bagenda\b|\bsyllabus\b|"
                               r"\blesson\s+plan\b"),
        # Papers about a training that has not happened or that judge it: a request to
        # attend, an application or nomination, a schedule, a course evaluation. They name
        # the officer, course, date and hours as a certificate does.
        ("plan-or-evaluation", -2.0,
         r"\b(?:training|course|class)\s+request\b|\brequest(?:s|ed)?\s+(?:for|to)\s+attend|"
         r"\bapplication\s+(?:for|to)\b|\bnominat(?:e|ed|ion)\b|\b(?:is|are)\s+scheduled\b|"
         r"\bscheduled\s+to\s+attend\b|\bwill\s+attend\b|\bevaluation\s+form\b|"
         r"\b(?:course|instructor|training)\s+evaluation\b|\bsurvey\b|\bquestionnaire\b|"
         r"\brate\s+(?:the|this|your)\b"),
    )
)
SIGN_IN_TITLE = re.compile(
    r"\bsign[\s-]*in\b|\bsign[\s-]*up\b|\battendance\s+(?:sheet|roster|record|log|list)\b|"
    r"\bclass\s+roster\b|\broster\b|\bsign[\s-]*in\s+sheet\b", re.I)
COLUMN_WORDS = re.compile(
    r"\b(?:name|printed|print|badge|id|pid|signature|sign|agency|department|dept|time\s+in|"
    r"time\s+out|rank|initials|email|phone|unit|employee|officer|attendee|participant|"
    r"student|trainee)\b", re.I)


@dataclass(frozen=True)
class ClassifyResult:
    """What a page is, how sure, and why.

    Attributes:
        kind: certificate, sign-in sheet or unknown.
        confidence: 0..1.
        why: the cues that fired with their weights, for the review screen and the log.
        scores: the certificate and sign-in scores.
        objections: wording that says the page is no record of a training done (a memo,
            an invoice, an announcement, a request or an evaluation).
    """

    kind: DocumentKind
    confidence: float
    why: str
    scores: dict[str, float] = field(default_factory=dict)
    objections: tuple[str, ...] = ()


def classify_page(page: PageText) -> ClassifyResult:
    """Decide whether ``page`` is a certificate, a sign-in sheet or something else.

    Args:
        page: the words read from the page.

    Returns:
        The kind with a confidence and the reasons (cue names and weights).
    """
    rows = build_rows(page)
    text = "\n".join(r.text for r in rows)
    if len(text.split()) < MIN_WORDS:
        return ClassifyResult(DocumentKind.UNKNOWN, 0.9, "too little text to be a training record")
    cert, cert_why, strong = score_certificate(text, rows)
    sign, sign_why = score_sign_in(text, rows)
    scores = {"certificate": cert, "sign_in_sheet": sign}
    table = find_person_table(rows, page.width)
    if table is not None:
        scores["person_table_rows"] = float(table.person_rows)
    if table is not None and (table.person_rows >= MIN_PERSON_ROWS or _short_sheet(table)):
        # Structure first: a table of people under a name and badge/signature header is a
        # sheet whatever its prose says (an attestation under the table reads like a
        # certificate's wording); wording only decides what structure leaves open.
        cues = [f"table-of-{table.person_rows}-person-rows"] + sign_why
        if cert >= CERTIFICATE_THRESHOLD:
            cues.append(f"certificate wording overruled (score {cert:g})")
        return ClassifyResult(DocumentKind.SIGN_IN_SHEET, _confidence(max(sign, 8.0), 4.0),
                              _why("sign-in sheet (structure)", max(sign, 8.0), cues), scores)
    if sign >= SIGN_IN_THRESHOLD and sign >= cert:
        return ClassifyResult(DocumentKind.SIGN_IN_SHEET, _confidence(sign, SIGN_IN_THRESHOLD),
                              _why("sign-in sheet", sign, sign_why), scores)
    if cert >= CERTIFICATE_THRESHOLD and strong and _has_evidence(cert_why):
        return ClassifyResult(DocumentKind.CERTIFICATE, _confidence(cert, CERTIFICATE_THRESHOLD),
                              _why("certificate", cert, cert_why), scores)
    best = max(cert, sign)
    weak = strong or cert < CERTIFICATE_THRESHOLD
    reason = "weak cues" if weak else "no completion wording"
    objections = tuple(c.split("(")[0] for c in cert_why if c.split("(")[0] in _NEGATIVE_NAMES)
    return ClassifyResult(DocumentKind.UNKNOWN, _confidence(8.0 - best, 4.0),
                          _why(f"unknown ({reason})", best, cert_why + sign_why), scores,
                          objections)


def _short_sheet(table) -> bool:
    """A table of two attendees, each with a badge number, under persons' columns."""
    return (MIN_PERSON_ROWS_SHORT <= table.person_rows == table.badge_rows
            and table.course_columns < 2)


#: The fields that make a page one officer's record of one training, whatever it is called.
RECORD_OF_TRAINING = ("officer_name", "training_date", "hours")


def certificate_by_record(verdict: ClassifyResult, read: set[str]) -> ClassifyResult | None:
    """A page left unknown by its wording that is a certificate by what it holds.

    Agencies title their certificates in words no list holds ("Proof of Training", "Record
    of Instruction") and caption their values likewise. A page that names one officer, a
    course (number or title), the day and the hours, with nothing saying it is a memo, an
    invoice, an announcement, a request or an evaluation, and no table of people, is that
    officer's record of that training (a table of people, even of one or two rows, is a
    sheet's and keeps the page unknown). It is then read as a certificate, so every rule of
    verification still has to pass before anything is credited.

    Args:
        verdict: the wording's verdict on the page (``unknown``).
        read: the fields the certificate reader found values for on the page.

    Returns:
        The certificate verdict, or ``None`` when the page stays unknown.
    """
    if verdict.kind is not DocumentKind.UNKNOWN or verdict.objections:
        return None
    if verdict.scores.get("sign_in_sheet", 0.0) >= SIGN_IN_THRESHOLD:
        return None
    if "person_table_rows" in verdict.scores:
        # a header of a table of people, however few rows under it: a short sign-in sheet,
        # whose rows need their signatures decided, never one officer's certificate
        return None
    if not set(RECORD_OF_TRAINING) <= read or not read & {"post_number", "course_title"}:
        return None
    held = ", ".join(f for f in (*RECORD_OF_TRAINING, "post_number", "course_title") if f in read)
    return replace(verdict, kind=DocumentKind.CERTIFICATE, confidence=0.6,
                   why=f"certificate (structure: one officer's training read: {held}); "
                       f"its wording alone said {verdict.why}")


_NEGATIVE_NAMES = frozenset(name for name, _w, _rx in NEGATIVE_CUES)
#: Cues in words that a training was done (not only that the page holds a record's fields).
_COMPLETION_WORDING = frozenset(name for name, _w, _rx, strong in CERT_CUES if strong)


def score_certificate(text: str, rows: list[Row]) -> tuple[float, list[str], bool]:
    """The certificate score, the cues behind it, and whether a completion cue fired."""
    score, why, strong = 0.0, [], False
    for name, weight, pattern, is_strong in CERT_CUES:
        if pattern.search(text):
            score += weight
            why.append(f"{name}(+{weight:g})")
            strong = strong or is_strong
    hits = labels_of_rows(rows)
    labelled = {h.field for row_hits in hits.values() for h in row_hits if h.field}
    record = labelled & {"officer_name", "badge_number", "post_number", "training_date",
                         "hours", "instructor_name", "course_title"}
    if len(record) >= 5:
        # a labelled record of one officer's training (vendor printout, fax of a form)
        score += 2.0
        strong = True
        why.append("labelled-record(+2)")
    for name, weight, present in (
        ("hours", 1.0, bool(find_hours(text)) or "hours" in labelled),
        ("course-number", 1.0, "post_number" in labelled),
        ("date", 0.5, bool(find_dates(text))),
        ("officer-label", 0.5, "officer_name" in labelled or "badge_number" in labelled),
    ):
        if present:
            score += weight
            why.append(f"{name}(+{weight:g})")
    worded = any(c.split("(")[0] in _COMPLETION_WORDING for c in why)
    objected = False
    wording = _without_course_captions(rows, hits)
    for name, weight, pattern in NEGATIVE_CUES:
        header = name == "memo" and re.search(r"(?im)^\s*(?:to|from)\s*:", text)
        if pattern.search(wording) or header:
            score += weight
            why.append(f"{name}({weight:g})")
            objected = True
    if objected and not worded:
        # Labels alone say only that the page holds a record's fields; a request to attend,
        # a schedule or an evaluation holds them too. With wording that says so and none
        # that says the training was done, the labels do not make it a certificate.
        strong = False
    return score, why, strong


def _without_course_captions(rows: list[Row], hits: dict[int, list]) -> str:
    """The page's text with the captions of the course's title blanked out: "Lesson Plan
    Title" captions the course taught, it does not say the page is a lesson plan (or an
    agenda, or a syllabus) rather than a record of it. A caption whose last word is the
    objection's own ("Training Request:") is kept: there the page says what it is. A
    caption standing alone on its row, over its value, has no colon to make it a label;
    its words make it one ("LESSON PLAN TITLE" over the course's name)."""
    lines = []
    for row in rows:
        text = row.text
        if caption_field(text.strip(" :.-")) == "course_title" and not _objection_is_head(text):
            lines.append(" " * len(text))
            continue
        for h in hits[row.index]:
            if h.field != "course_title":
                continue
            start = _caption_start(row, h.start)
            if not _objection_is_head(text[start:h.end]):
                text = text[:start] + " " * (h.end - start) + text[h.end:]
        lines.append(text)
    return "\n".join(lines)


def _caption_start(row: Row, label_start: int) -> int:
    """Where the caption holding a title's label word begins: the words before it up to the
    row's start or a wide gap ("Lesson Plan" before a misread "Tite"), when they are a few
    words with no number or colon between; else at the label word itself."""
    start = max((g for g in row.gap_starts if g <= label_start), default=0)
    lead = row.text[start:label_start]
    if re.search(r"[\d:|]", lead) or len(lead.split()) > 3:
        return label_start
    return start


def _objection_is_head(caption: str) -> bool:
    """Whether an objection's words end the caption (its head noun, in English: a "Training
    Request" is a request, a "Syllabus Title" is a title)."""
    end = len(caption.rstrip(" :.-"))
    return any(m.end() >= end for _n, _w, rx in NEGATIVE_CUES for m in rx.finditer(caption))


def _has_evidence(cues: list[str]) -> bool:
    """A training was named: a course, hours, a course number, a topic or completion wording.

    Certify-wording alone is not enough: "This letter certifies that Officer Doe is employed
    here" is not a training record.
    """
    names = {c.split("(")[0] for c in cues}
    return bool(names & {"completed", "course", "hours", "course-number", "topic",
                         "training-record", "labelled-record"})


def score_sign_in(text: str, rows: list[Row]) -> tuple[float, list[str]]:
    """The sign-in score: a title, a header row of columns, and many rows under it."""
    score, why = 0.0, []
    if SIGN_IN_TITLE.search(text):
        score += 3.0
        why.append("sign-in-title(+3)")
    header = _header_row(rows)
    if header is not None:
        score += 3.0
        why.append("column-header(+3)")
        below = [r for r in rows[header.index + 1 :] if len(r.words) >= 2]
        if len(below) >= 4:
            # A column header with many rows under it is a table, which no certificate has;
            # it outweighs the class facts a sheet's header shares with certificates
            # ("Hours Completed", a POST number, a date).
            score += 4.0
            why.append(f"{len(below)}-rows(+4)")
    if re.search(r"\bcertif(?:y|ies)\s+that\b", text, re.I):
        score -= 3.0
        why.append("certify-that(-3)")
    return score, why


#: The most words a row of column headings holds (see :func:`_header_row`).
_HEADER_WORDS = 16


def _header_row(rows: list[Row]) -> Row | None:
    """A row naming at least three columns, one of them a signature or a badge / id, and
    short as a row of headings is (at most :data:`_HEADER_WORDS` words: eight columns of
    two-word headings; the bars a scan's column rules read as, ``|`` and ``[``, are no
    words)."""
    for row in rows:
        found = {m.group(0).lower() for m in COLUMN_WORDS.finditer(row.text)}
        if len(found) >= 3 and found & {"signature", "sign", "badge", "id", "pid", "initials"}:
            if sum(1 for t in row.text.split() if any(c.isalnum() for c in t)) <= _HEADER_WORDS:
                return row
    return None


def _confidence(score: float, threshold: float) -> float:
    return round(max(0.5, min(0.99, 0.55 + 0.08 * (score - threshold))), 3)


def _why(kind: str, score: float, cues: list[str]) -> str:
    return f"{kind}: score {score:g} from " + (", ".join(cues) if cues else "no cues")
