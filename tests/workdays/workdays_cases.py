"""Shared cases: calendar.md's must-hold table and our own, as (action, arg1, arg2, CLI output)."""

# calendar.md, "Cases that must hold": (action, arg1, arg2, expected CLI output).
SPEC_CASES = [
    ("add", "2024-02-07", "1", "2024-02-15"),  # Tết Giáp Thìn 08/02-14/02/2024
    ("add", "2024-05-03", "1", "2024-05-04"),  # make-up Saturday 04/05/2024
    ("is-working", "2024-04-29", None, "false"),  # swapped day off
    ("add", "2025-01-24", "1", "2025-02-03"),  # Tết Ất Tỵ 25/01-02/02/2025
    ("between", "2026-02-13", "2026-02-23", "1"),  # Tết Bính Ngọ 14/02-22/02/2026
    ("add", "2026-01-09", "1", "2026-01-10"),  # make-up Saturday 10/01/2026
    ("is-working", "2026-01-02", None, "false"),  # swapped day off after New Year 2026
    ("is-working", "2026-04-27", None, "false"),  # Hùng Kings on Sunday 26/04: in lieu
    ("add", "2026-08-28", "1", "2026-09-03"),  # Quốc khánh 29/08-02/09/2026
    ("add", "2024-02-07", "10", "2024-02-28"),  # ten working days across Tết 2024
]

# Cases of our own, same form.
OWN_CASES = [
    ("add", "2023-01-19", "1", "2023-01-27"),  # Tết Quý Mão 20/01-26/01/2023
    ("is-working", "2023-01-20", None, "false"),
    ("add", "2023-04-28", "1", "2023-05-04"),  # Giỗ Tổ (Sat) + 30/4 (Sun) in lieu 02-03/05/2023
    ("add", "2023-08-31", "1", "2023-09-05"),  # 1/9 adjacent, 4/9 in lieu of Saturday 2/9
    ("add", "2024-08-30", "1", "2024-09-04"),  # Quốc khánh 2024: 02-03/09
    ("is-working", "2025-04-26", None, "true"),  # make-up Saturday 2025
    ("add", "2025-04-29", "1", "2025-05-05"),  # 30/4-2/5/2025 off
    ("add", "2025-08-29", "1", "2025-09-03"),  # Quốc khánh 2025: 01-02/09
    ("add", "2027-02-03", "1", "2027-02-11"),  # 2027 estimate: Tết 04/02-10/02
    ("is-working", "2027-05-03", None, "false"),  # 2027 estimate: 1/5 Saturday -> Monday
    ("add", "2025-12-31", "1", "2026-01-05"),  # year boundary: 1/1, 2/1/2026 off, weekend
    ("add", "2025-12-31", "6", "2026-01-10"),  # ... the 6th is the make-up Saturday
    ("between", "2025-12-26", "2026-01-12", "10"),
    ("between", "2024-02-28", "2024-02-07", "0"),  # b <= a
    ("between", "2024-02-07", "2024-02-07", "0"),
    ("add", "2024-02-11", "0", "2024-02-11"),  # n = 0: d itself, even a Sunday in Tết
    ("add", "2024-02-15", "-1", "2024-02-07"),  # negative: the working day before, across Tết
    ("add", "2024-05-06", "-1", "2024-05-04"),  # ... landing on a make-up Saturday
    ("next", "2024-02-07", None, "2024-02-15"),
    ("next", "2026-08-21", None, "2026-08-22"),
    ("is-working", "2026-11-24", None, "true"),  # 24/11 rule ships disabled
    ("is-working", "2024-12-31", None, "true"),
]
