"""Demo content for `manage.py seed_demo`: accounts, categories, courses and reviews as data, and their assets.

`content` holds the texts, `assets` draws the covers and the video poster, prints the PDF handouts and writes the
video's caption tracks at seed time, and `files/intro.webm` is the one asset made ahead of time (by `video`, from
the script in `content.intro_video`).
"""
