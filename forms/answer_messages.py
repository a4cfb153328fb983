"""What a resident reads when an answer is not right: plain words, Japanese first."""

from __future__ import annotations

from typing import Any

from forms.text import T, Text

MESSAGES: dict[str, Text] = {
    "required": T("ここは必ず答えてください。", "Please answer this."),
    "not_text": T("文字で入力してください。", "Please enter text."),
    "too_long": T("{max}文字までで入力してください。", "Please use at most {max} characters."),
    "not_katakana": T("カタカナで入力してください。", "Please enter in katakana."),
    "not_integer": T("数字で入力してください。", "Please enter a number."),
    "too_small": T("{min}以上の数にしてください。", "Please enter {min} or more."),
    "too_large": T("{max}以下の数にしてください。", "Please enter {max} or less."),
    "not_date": T("日付を正しく入力してください（例: 令和7年4月1日）。",
                  "Please enter a valid date."),
    "date_too_early": T("{min}より後の日付にしてください。", "Please enter a date after {min}."),
    "date_too_late": T("{max}より前の日付にしてください。",
                       "Please enter a date on or before {max}."),
    "not_a_choice": T("選択肢の中から選んでください。", "Please choose one of the options."),
    "not_yes_no": T("「はい」か「いいえ」で答えてください。", "Please answer yes or no."),
    "not_postal_code": T("郵便番号は7けたの数字です（例: 100-0001）。",
                         "A postal code has 7 digits (e.g. 100-0001)."),
    "not_phone": T("電話番号を正しく入力してください（例: 03-1234-5678）。",
                   "Please enter a phone number (e.g. 03-1234-5678)."),
    "not_digits": T("数字だけで入力してください。", "Please enter digits only."),
    "digits_length": T("{count}けたの数字で入力してください（いまは{given}けた）。",
                       "Please enter {count} digits ({given} given)."),
    "not_bank_code": T("金融機関コード（4けた）を選んでください。",
                       "Please choose a bank (its 4-digit code)."),
    "unknown_bank": T("金融機関コード{given}の金融機関は見つかりません。一覧から選び直してください。",
                      "There is no bank with the code {given}. Please choose it from the list again."),
    "not_branch_code": T("店番号（3けた）を選んでください。",
                         "Please choose a branch (its 3-digit code)."),
    "unknown_branch": T("{bank}に店番号{given}の支店はありません。支店を選び直してください。",
                        "{bank} has no branch with the code {given}. Please choose the branch again."),
    "not_my_number": T("個人番号（12けた）が正しくありません。",
                       "The 12-digit My Number is not valid."),
    "too_few_items": T("{min}人（件）以上入力してください。", "Please add at least {min}."),
    "too_many_items": T("{max}人（件）までです。", "At most {max} can be added."),
    "not_a_list": T("一覧の形で入力してください。", "A list is expected here."),
}


def message(code: str, params: dict[str, Any]) -> Text:
    base = MESSAGES[code]
    return Text(ja=base.ja.format(**params), en=(base.en or base.ja).format(**params))
