"""Conflicts other apps find in a restructuring's plan, registered from their AppConfig.ready.

The hook for what this app cannot see: posts are being built by another capability (grassroots);
a post held in a body that ends on the date is its conflict to report. A check is a callable
taking the plan (restructuring.plan.Plan: `plan.on`, `plan.ended`, `plan.changes()`,
`plan.handoffs`) and returning restructuring.plan.Conflict rows; add its code to ACCEPTABLE
(below) when the user may accept it and commit anyway.
"""

CHECKS: list = []
# codes of registered conflicts the user may accept ("post_holder": the holder's post ends with
# the body; the new body's posts are appointed by the province, political-system.md I.1 HD 31)
ACCEPTABLE: set[str] = {"post_holder"}


def register_check(check) -> None:
    if check not in CHECKS:
        CHECKS.append(check)
