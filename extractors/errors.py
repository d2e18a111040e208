"""The exception hierarchy: exceptions mean "could not process this input".

``CredenceError`` is the root for every package (it lives here, at the bottom of the
dependency stack, so that extractors need import nothing else). Each subclass sets ``code``,
a stable short name stored on a failed document and shown to the clerk.
Reason codes (``verification.reasons.Reason``) are different: "processed, and here is why".
"""

from __future__ import annotations


class CredenceError(Exception):
    """Root of Credence's own errors."""

    code = "error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InputFileError(CredenceError):
    """The file itself cannot be read; the original is kept and the batch goes on."""

    code = "bad_input"


class UnsupportedFileTypeError(InputFileError):
    code = "unsupported_type"


class CorruptFileError(InputFileError):
    code = "corrupt_file"


class EncryptedPdfError(InputFileError):
    code = "encrypted_pdf"


class EmptyDocumentError(InputFileError):
    code = "empty_document"


class ImageTooLargeError(InputFileError):
    code = "image_too_large"


class OcrFailedError(CredenceError):
    """Tesseract failed in a way that is not a known harmless outcome."""

    code = "ocr_failed"
