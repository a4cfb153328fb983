"""Who may do what at the desk: the role each action needs, and the refusals that say so.

The ladder is the store's (kiosk/store/staff.py): clerk < supervisor < admin. A clerk scans and
opens a slip, prints its form, reads the number for it and changes its status; a supervisor may
also export, reprint, and open an application by its id or ticket (not from a slip in hand), and
unlock an account; an admin may also manage accounts, keys and the purge (CLI).
"""

from __future__ import annotations

from kiosk.desk.errors import DeskError
from kiosk.store.repository import Store
from kiosk.store.staff import Role, StaffMember, at_least

# The action -> the least role allowed to do it.
NEEDS: dict[str, Role] = {
    "scan": "clerk",
    "print_form": "clerk",
    "read_my_number": "clerk",
    "set_status": "clerk",
    "open": "supervisor",  # by id or ticket, unless the slip was scanned at a desk already
    "export": "supervisor",
    "reprint": "supervisor",
    "unlock": "supervisor",
    "audit": "supervisor",
    "staff": "admin",
}

ROLE_NAMES = {
    "clerk": ("窓口職員", "clerk"),
    "supervisor": ("監督者（係長など）", "supervisor"),
    "admin": ("管理者", "admin"),
}

ACTION_NAMES = {
    "scan": ("控えの読み取り", "scanning a slip"),
    "print_form": ("申請書の印刷", "printing the form"),
    "read_my_number": ("個人番号の読み取り", "reading the My Number"),
    "set_status": ("状態の変更", "changing the status"),
    "open": ("番号での呼び出し", "opening by id or ticket"),
    "export": ("書き出し", "exporting"),
    "reprint": ("控えの再発行", "reprinting the slip"),
    "unlock": ("アカウントのロック解除", "unlocking an account"),
    "audit": ("監査記録の確認", "reading the audit trail"),
    "staff": ("職員アカウントの管理", "managing staff accounts"),
}


class RoleRequired(DeskError):
    """Refused for the signed-in person's role; the message names the role that may."""

    code = "role_required"

    @classmethod
    def for_action(cls, action: str) -> RoleRequired:
        role = NEEDS[action]
        role_ja, role_en = ROLE_NAMES[role]
        what_ja, what_en = ACTION_NAMES[action]
        return cls(f"{action} needs {role}",
                   ja=f"{what_ja}は{role_ja}（{role}）の権限が必要です。{role_ja}に依頼してください。",
                   en=f"{what_en.capitalize()} needs the {role_en} role. Ask "
                      f"{'an' if role_en[0] in 'aeiou' else 'a'} {role_en}.")


class DeskLocked(DeskError):
    code = "desk_locked"
    message_ja = "画面がロックされています。パスワードを入力してロックを解除してください。"
    message_en = "The desk is locked. Enter your password to unlock it."


class SignedOut(DeskError):
    code = "sign_in_required"
    message_ja = "職員IDとパスワードでサインインしてください。職員IDだけでは開けません。"
    message_en = "Sign in with your staff ID and password. A staff ID alone opens nothing."


CODES = (RoleRequired.code, DeskLocked.code, SignedOut.code)


def refuse_below(store: Store, member: StaffMember, action: str) -> None:
    """For the commands that sign a person in for one action (`kiosk staff`, `kiosk audit`):
    RoleRequired, naming the role that may and audited, when `member`'s role may not."""
    if not at_least(member.role, NEEDS[action]):
        refused = RoleRequired.for_action(action)
        store.audit(member.staff_id, "refused", detail=refused.code)
        raise refused
