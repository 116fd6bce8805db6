"""Approval requests: submitting a document, approving, rejecting and withdrawing.

Each call is one transaction. Every decision locks the request row first (see
:mod:`jxc.workflow.locks`), so two approvers acting at once are served one after the other and
the second finds the level already decided: nothing is ever approved twice. The document's app
is told of the outcome through the callbacks it registered, inside the same transaction.
"""

import dataclasses

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import PermissionDenied, ValidationFailed
from jxc.core.models import Membership
from jxc.masterdata.models import Category
from jxc.workflow import events
from jxc.workflow.domain.levels import (
    APPROVED,
    MANAGER,
    ROLE,
    USER,
    Level,
    level_outcome,
    parse_levels,
)
from jxc.workflow.domain.rules import DocumentFacts, RuleSpec, matching_rule, parse_conditions
from jxc.workflow.errors import AlreadyDecided, AwaitingApproval, NotAnApprover, OwnDocument
from jxc.workflow.locks import lock_request
from jxc.workflow.models import ApprovalRequest, ApprovalRule, ApprovalStep
from jxc.workflow.models.requests import Decision
from jxc.workflow.registry import ApprovableType, ApprovalDecision, DocumentRef, approvable
from jxc.workflow.selectors import open_request

MAX_COMMENT = 500
State = ApprovalRequest.State


@dataclasses.dataclass(frozen=True)
class Submission:
    """``approved``: no rule applies, the document is approved at once (and no request made)."""

    approved: bool
    request: ApprovalRequest | None = None


# --- submitting ------------------------------------------------------------------------------


@transaction.atomic
def submit_for_approval(
    *, organization, document: DocumentRef, submitter, facts: DocumentFacts | None = None
) -> Submission:
    """Find the rule that applies to the document and open a request with a copy of its levels.

    ``facts`` default to what the document type's ``read_facts`` reads. Raises
    AwaitingApproval when the document already has an open request, ValidationFailed when the
    applicable rule cannot be evaluated or a level would have no one to approve it."""
    doc_type = approvable(document.type)
    if facts is None:
        facts = doc_type.read_facts(organization, document.id)
    ensure_not_awaiting_approval(organization=organization, document=document)
    rule = _applicable_rule(organization, doc_type, _with_parent_categories(organization, facts))
    if rule is None:
        return Submission(approved=True)
    levels = parse_levels(rule.levels)
    approvers = [
        _level_approvers(organization, rule, i, lv, submitter) for i, lv in enumerate(levels)
    ]
    request = _open_request(organization, document, facts, rule, levels, submitter)
    ApprovalStep.objects.bulk_create(
        ApprovalStep(request=request, level=index, approver_id=user_id)
        for index, user_ids in enumerate(approvers)
        for user_id in user_ids
    )
    _publish(events.SUBMITTED, request, submitter, awaiting=approvers[0])
    return Submission(approved=False, request=request)


def rule_applies(organization, document_type: str, facts: DocumentFacts) -> bool:
    """Whether a document of ``document_type`` with ``facts`` needs approval: submitting it
    would open a request. For the apps that let a document no rule applies to skip the
    submission. Raises ValidationFailed, as submitting does, when a rule cannot be evaluated."""
    doc_type = approvable(document_type)
    facts = _with_parent_categories(organization, facts)
    return _applicable_rule(organization, doc_type, facts) is not None


def _open_request(organization, document, facts, rule, levels, submitter) -> ApprovalRequest:
    now = timezone.now()
    try:
        with transaction.atomic():  # the partial unique index settles two submits at once
            return ApprovalRequest.objects.create(
                organization=organization,
                document_type=document.type,
                document_id=document.id,
                document_number=facts.number[:64],
                summary=facts.summary[:255],
                base_amount=facts.amount,
                currency=facts.currency[:32],
                rule=rule,
                rule_name=rule.name,
                levels=[level.as_data() for level in levels],
                allow_self_approval=rule.allow_self_approval,
                submitted_by=submitter,
                submitted_at=now,
                waiting_since=now,
            )
    except IntegrityError:
        raise AwaitingApproval(field="document") from None


def _applicable_rule(organization, doc_type: ApprovableType, facts) -> ApprovalRule | None:
    rules = ApprovalRule.objects.filter(
        organization=organization, document_type=doc_type.code, is_active=True
    )
    specs = [
        RuleSpec(key=rule, priority=rule.priority, order=rule.pk,
                 conditions=_stored_conditions(rule, doc_type))
        for rule in rules
    ]  # fmt: skip
    found = matching_rule(specs, facts)
    return found.key if found else None


def _stored_conditions(rule: ApprovalRule, doc_type: ApprovableType):
    """A stored rule that no longer parses (its type now offers other fields) stops the
    submission: skipping it could let a document past the approval it needs."""
    try:
        return parse_conditions(rule.conditions, doc_type.fields)
    except ValidationFailed as exc:
        raise ValidationFailed(
            _("The approval rule “%(rule)s” cannot be evaluated (%(field)s: %(error)s); "
              "an administrator must correct it.")
            % {"rule": rule.name, "field": exc.field, "error": exc.message},
            code="invalid_rule",
        ) from None  # fmt: skip


def _with_parent_categories(organization, facts: DocumentFacts) -> DocumentFacts:
    """A condition on a category also covers its sub-categories: add each category's parents."""
    if not facts.categories:
        return facts
    parents = dict(
        Category.objects.filter(organization=organization).values_list("pk", "parent_id")
    )
    found, todo = set(), list(facts.categories)
    while todo:
        category = todo.pop()
        if category is not None and category not in found:
            found.add(category)
            todo.append(parents.get(category))
    return dataclasses.replace(facts, categories=frozenset(found))


def _level_approvers(organization, rule, index: int, level: Level, submitter) -> list[int]:
    """The users who may approve ``level``, resolved now: they stay its approvers even if roles
    or managers change while the request is open. The submitter is left out unless the rule
    lets them approve their own document."""
    members = Membership.objects.filter(organization=organization, user__is_active=True)
    users: set[int] = set()
    manager_missing = False
    for approver in level.approvers:
        if approver.type == ROLE:
            users.update(members.filter(roles=approver.id).values_list("user_id", flat=True))
        elif approver.type == USER:
            users.update(members.filter(user_id=approver.id).values_list("user_id", flat=True))
        elif approver.type == MANAGER:
            manager = members.filter(user=submitter).values_list("manager_id", flat=True).first()
            if manager and members.filter(user_id=manager).exists():
                users.add(manager)
            else:
                manager_missing = True
    if not rule.allow_self_approval:
        users.discard(submitter.pk)
    if not users:
        _no_approver(rule, index, level, manager_missing)
    return sorted(users)


def _no_approver(rule, index: int, level: Level, manager_missing: bool) -> None:
    names = {"n": index + 1, "level": level.name or "—", "rule": rule.name}
    if manager_missing:
        message = _(
            "Level %(n)d (%(level)s) of the approval rule “%(rule)s” goes to your manager, and "
            "no manager is set for you in this organization: ask an administrator to set one."
        )
    else:
        message = _(
            "Level %(n)d (%(level)s) of the approval rule “%(rule)s” has no one who can approve "
            "it (besides you): an administrator must assign its approvers."
        )
    raise ValidationFailed(message % names, code="no_approver")


# --- deciding --------------------------------------------------------------------------------


@transaction.atomic
def approve(
    *, request: ApprovalRequest, user, comment: str = "", level: int | None = None
) -> ApprovalRequest:
    """The user approves their part of the current level. ``level``, when given, is the level
    the user saw: if the request has moved on since, the click is refused as already decided
    (so a double click never approves the next level too). The last level's approval makes
    the document approved."""
    request = lock_request(request.pk)
    step = _actionable_step(request, user, level)
    _decide(step, Decision.APPROVED, comment)
    steps = request.steps.filter(level=request.current_level)
    mode = request.levels[request.current_level]["mode"]
    if level_outcome(mode, steps.values_list("decision", flat=True)) != APPROVED:
        return request  # an all-of level waits for its other approvers
    _skip_pending(request, level=request.current_level)
    if request.current_level + 1 < len(request.levels):
        return _advance(request, user)
    return _close(request, State.APPROVED, user, reason="")


@transaction.atomic
def reject(
    *, request: ApprovalRequest, user, comment: str, level: int | None = None
) -> ApprovalRequest:
    """One rejection, at any level, rejects the request; the document returns to draft with
    the comment as the reason."""
    request = lock_request(request.pk)
    step = _actionable_step(request, user, level)
    if not (comment or "").strip():
        raise ValidationFailed(_("Give the reason for the rejection."), field="comment")
    _decide(step, Decision.REJECTED, comment)
    _skip_pending(request)
    return _close(request, State.REJECTED, user, reason=comment.strip())


@transaction.atomic
def withdraw(*, request: ApprovalRequest, user, comment: str = "") -> ApprovalRequest:
    """The submitter takes back a pending request (撤回); the document returns to draft."""
    request = lock_request(request.pk)
    if request.state != State.PENDING:
        raise _already_closed(request)
    if request.submitted_by_id != user.pk:
        raise PermissionDenied(
            _("Only the submitter may withdraw an approval request."), code="not_submitter"
        )
    _check_comment(comment)
    _skip_pending(request)
    return _close(request, State.WITHDRAWN, user, reason=(comment or "").strip())


def ensure_not_awaiting_approval(*, organization, document: DocumentRef) -> None:
    """For the document's app, before it moves a document past ``submitted``: raises
    AwaitingApproval while an approval request of the document is open."""
    if open_request(organization, document) is not None:
        raise AwaitingApproval(field="state")


def _actionable_step(request: ApprovalRequest, user, level: int | None) -> ApprovalStep:
    """The user's pending step at the current level, or the error that says why there is
    none: decided already (by them or another), their own document, or not theirs at all."""
    if request.state != State.PENDING:
        raise _already_closed(request)
    if request.submitted_by_id == user.pk and not request.allow_self_approval:
        raise OwnDocument()
    if level is not None and level != request.current_level:
        raise AlreadyDecided(_("This level has already been decided; the request has moved on."))
    steps = {step.level: step for step in request.steps.filter(approver=user)}
    step = steps.get(request.current_level)
    if step is None:
        if any(earlier < request.current_level for earlier in steps):
            raise AlreadyDecided(_("This level has already been decided."))
        raise NotAnApprover()
    if step.decision == Decision.SKIPPED:
        raise AlreadyDecided(_("Another approver has already decided this level."))
    if step.decision != Decision.PENDING:
        raise AlreadyDecided(_("You have already decided on this request."))
    return step


def _already_closed(request: ApprovalRequest) -> AlreadyDecided:
    return AlreadyDecided(
        _("This approval request is already closed (%(state)s).")
        % {"state": request.get_state_display()}
    )


def _check_comment(comment: str) -> None:
    if len(comment or "") > MAX_COMMENT:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": MAX_COMMENT}, field="comment")


def _decide(step: ApprovalStep, decision: str, comment: str) -> None:
    _check_comment(comment)
    step.decision = decision
    step.comment = (comment or "").strip()
    step.decided_at = timezone.now()
    step.save(update_fields=["decision", "comment", "decided_at"])


def _skip_pending(request: ApprovalRequest, level: int | None = None) -> None:
    pending = request.steps.filter(decision=Decision.PENDING)
    if level is not None:
        pending = pending.filter(level=level)
    pending.update(decision=Decision.SKIPPED)


def _advance(request: ApprovalRequest, actor) -> ApprovalRequest:
    request.current_level += 1
    request.waiting_since = timezone.now()
    request.save(update_fields=["current_level", "waiting_since"])
    awaiting = request.steps.filter(level=request.current_level, decision=Decision.PENDING)
    _publish(
        events.ADVANCED, request, actor, awaiting=awaiting.values_list("approver_id", flat=True)
    )
    return request


def _close(request: ApprovalRequest, state: str, actor, reason: str) -> ApprovalRequest:
    request.state = state
    request.decided_at = timezone.now()
    request.reason = reason[:500]
    request.save(update_fields=["state", "decided_at", "reason"])
    doc_type = approvable(request.document_type)
    decision = ApprovalDecision(
        organization_id=request.organization_id,
        document=DocumentRef(request.document_type, request.document_id),
        request_id=request.pk,
        state=state,
        reason=request.reason,
        actor_id=actor.pk,
    )
    if state == State.APPROVED:
        doc_type.on_approved(decision)
    else:
        doc_type.on_returned(decision)
    name = {State.APPROVED: events.APPROVED, State.REJECTED: events.REJECTED}
    _publish(name.get(state, events.WITHDRAWN), request, actor)
    return request


def _publish(name: str, request: ApprovalRequest, actor, awaiting=()) -> None:
    events.publish(
        events.ApprovalEvent(
            name=name,
            organization_id=request.organization_id,
            request_id=request.pk,
            document_type=request.document_type,
            document_id=request.document_id,
            actor_id=getattr(actor, "pk", None),
            awaiting=tuple(awaiting),
        )
    )
