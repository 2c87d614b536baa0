"""Demo content for `manage.py seed_demo`: accounts, categories and courses as data, and their assets.

`content` holds the texts, `assets` draws the covers, the video poster and the PDF handouts at seed
time, and `files/intro.webm` is the one asset made ahead of time (see `assets.VIDEO_RECIPE`).
"""
