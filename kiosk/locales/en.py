"""English: the keys are English already; only the dotted keys need words."""

MESSAGES = {
    "verdict.clear": "Every check that applies ran and passed: nothing found",
    "verdict.review": "Look again: no evidence of forgery",
    "verdict.alert": "Evidence of altered or invalid data",
    "verdict.unreadable": "No MRZ could be found or read",
    "source.hotfolder": "scanner folder",
    "source.upload": "uploaded",
    "source.scanner": "scanner",
    "source.typed": "typed",
    "source.api": "API",
    "status.pass": "passed",
    "status.fail": "failed",
    "status.warn": "warning",
    "status.skip": "not run",
}
