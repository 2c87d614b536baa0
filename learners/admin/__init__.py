"""The Wagtail admin's views of people and learner records, one module each.

- `users`: the user admin (name and role instead of first/last name and groups; deletion says what goes).
- `permissions`: who may see and do what with the learner records (registered in `LearnersConfig.ready`).
- `listing`: what the record listings share: filters by course, learner and date, spreadsheet cells.
- `enrollments`, `attempts`, `certificates`, `reviews`: one listing each; `menu` groups them under "Learning".
- `reports`: a course's report (its learners); `dashboard`: the admins' dashboard panels.
- `bulk_actions`: the user listing's bulk actions, through the accounts service.

State changes go through `learners.services`; these views only translate requests into its calls.
This package's `__init__` imports nothing, so that the app's `ready` can register the policies alone.
"""
