"""The zlib preset dictionary of slip format 1 (RFC 1950 FDICT, RFC 1951 §3.2 window).

Deflate compresses what it has seen before; a slip is too short to repeat much, so both sides
start from the same "seen before" text: field ids and choice values of the shipped form library
(as CBOR text strings, exactly as they occur in the content) and Japanese words that addresses,
insurers, banks and relationships are made of. It saves about a third of a large application
(docs/slip-format.md, "Size budget") and brings it under QR version 25.

The dictionary is part of format 1: changing one byte makes every printed slip unreadable, so the
test suite pins its SHA-256. A form whose ids are not here still works; it only compresses less.
A better dictionary is a reason for format 2, never an edit here.

Deflate's back references are cheaper the nearer they are, so the words most slips use
(ASCII ids) come last.
"""

from __future__ import annotations

# Japanese vocabulary, raw UTF-8, one space between words.
JAPANESE = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県\n"
    "全国健康保険協会 協会けんぽ 健康保険組合 共済組合 国民健康保険 後期高齢者医療 "
    "厚生年金 国民年金 支部\n"
    "銀行 信用金庫 信用組合 農業協同組合 ゆうちょ銀行 本店 支店 出張所 営業部\n"
    "世帯主 妻 夫 子 長男 長女 次男 次女 父 母 祖父 祖母 孫 兄 弟 姉 妹 同居人 縁故者 本人 代理人\n"
    "会社員 自営業 公務員 パート アルバイト 無職 学生 その他 のため\n"
    "市 区 町 村 郡 字 大字 丁目 番地 番 号 号室 号館 階 棟 荘 ハイツ マンション アパート コーポ "
    "レジデンス 団地\n"
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポァィゥェォャュョッー\n"
)

# Field ids, choice values and clerk flags, each stored as a CBOR text string (RFC 8949 §3.1,
# major type 3) so that a match covers the length byte too.
_WORDS = (
    "applicant applicant_name applicant_name_kana applicant_address applicant_birth_date "
    "applicant_phone subject_name subject_name_kana subject_address subject_birth_date "
    "head_name head_name_kana head_birth_date head_address member_name member_name_kana "
    "member_birth_date member_relationship name name_kana birth_date sex relationship "
    "relationship_other claimant_name claimant_name_kana claimant_birth_date claimant_address "
    "child_name child_name_kana child_birth_date child_relationship child_lives_with spouse_name "
    "spouse_name_kana deceased_name mourner_name guarantor_name holder_name members children "
    "household_kind new_household join_existing new_postal_code new_address previous_address "
    "current_address moved_on move_date event_date reason_date death_date purpose purpose_other "
    "submit_to copies scope items has_card has_spouse has_foreign_resident "
    "national_health_insurance national_pension child_allowance school_transfer moveout_method "
    "join_reason leave_reason reason_other claim_reason action previous_insurer previous_role "
    "new_insurer new_role bank_kind bank_name branch_name account_type account_number "
    "account_holder_kana yucho_symbol yucho_number self agent household some head wife husband "
    "child father mother grandchild other male female not_applicable moved_in moved_out join "
    "leave insured dependant ordinary current bank yucho kokuho employer certificate card online "
    "employment pension insurance from_card corrected manual undecodable entered_by_staff"
)


def _cbor_text(word: str) -> bytes:
    data = word.encode("utf-8")
    if len(data) < 24:
        return bytes([0x60 + len(data)]) + data
    return bytes([0x78, len(data)]) + data  # every word here is shorter than 256 bytes


def preset_dictionary() -> bytes:
    """The format 1 dictionary: the Japanese text, then each word as a CBOR text string."""
    return JAPANESE.encode("utf-8") + b"".join(_cbor_text(w) for w in _WORDS.split())
