"""Words the seeded catalog is made of: topics, title forms, lesson titles, bodies, reviews, names.

Plain data, so that the generator (bench/seed.py) reads as an algorithm. The catalog mixes English and
Russian courses, as the portal's does, so the `russian` text search configuration sees both alphabets.
"""

# topic → (English name, Russian name, category slug)
TOPICS = [
    ("Python", "Python", "programming"),
    ("JavaScript", "JavaScript", "programming"),
    ("TypeScript", "TypeScript", "programming"),
    ("Rust", "Rust", "programming"),
    ("Go", "Go", "programming"),
    ("Java", "Java", "programming"),
    ("Kotlin", "Kotlin", "programming"),
    ("C++", "C++", "programming"),
    ("SQL", "SQL", "data"),
    ("PostgreSQL", "PostgreSQL", "data"),
    ("Data Analysis", "анализа данных", "data"),
    ("Statistics", "статистики", "data"),
    ("Machine Learning", "машинного обучения", "data"),
    ("Data Visualization", "визуализации данных", "data"),
    ("Excel", "Excel", "business"),
    ("Accounting", "бухгалтерии", "business"),
    ("Marketing", "маркетинга", "business"),
    ("Project Management", "управления проектами", "business"),
    ("Negotiation", "переговоров", "business"),
    ("Linux", "Linux", "it-ops"),
    ("Docker", "Docker", "it-ops"),
    ("Kubernetes", "Kubernetes", "it-ops"),
    ("Networking", "компьютерных сетей", "it-ops"),
    ("Git", "Git", "it-ops"),
    ("Web Security", "веб-безопасности", "security"),
    ("Cryptography", "криптографии", "security"),
    ("UX Design", "UX-дизайна", "design"),
    ("Typography", "типографики", "design"),
    ("Figma", "Figma", "design"),
    ("Photography", "фотографии", "arts"),
    ("Drawing", "рисования", "arts"),
    ("Guitar", "игры на гитаре", "music"),
    ("Music Theory", "теории музыки", "music"),
    ("Piano", "игры на фортепиано", "music"),
    ("English Grammar", "английской грамматики", "languages"),
    ("Spanish", "испанского языка", "languages"),
    ("German", "немецкого языка", "languages"),
    ("French", "французского языка", "languages"),
    ("Public Speaking", "публичных выступлений", "soft-skills"),
    ("Writing", "письма", "soft-skills"),
    ("Time Management", "тайм-менеджмента", "soft-skills"),
    ("Calculus", "математического анализа", "science"),
    ("Physics", "физики", "science"),
    ("Chemistry", "химии", "science"),
    ("Biology", "биологии", "science"),
    ("Cooking", "кулинарии", "lifestyle"),
    ("Yoga", "йоги", "lifestyle"),
    ("Personal Finance", "личных финансов", "lifestyle"),
]

CATEGORIES = [
    ("programming", "Programming"),
    ("data", "Data"),
    ("business", "Business"),
    ("it-ops", "IT & Operations"),
    ("security", "Security"),
    ("design", "Design"),
    ("arts", "Arts"),
    ("music", "Music"),
    ("languages", "Languages"),
    ("soft-skills", "Soft skills"),
    ("science", "Science"),
    ("lifestyle", "Lifestyle"),
]

TITLE_FORMS_EN = [
    "{topic} for Beginners",
    "Introduction to {topic}",
    "Advanced {topic}",
    "{topic} in Practice",
    "Mastering {topic}",
    "{topic} Fundamentals",
    "{topic}: From Zero to Hero",
    "Practical {topic} Projects",
    "{topic} Bootcamp",
    "{topic} for Professionals",
    "Applied {topic}",
    "{topic} Crash Course",
]
TITLE_FORMS_RU = [
    "Основы {topic}",
    "Введение в мир {topic}",
    "Практикум {topic}",
    "Курс {topic} для начинающих",
    "Продвинутый курс {topic}",
]

SUMMARY_FORMS_EN = [
    "Learn {topic} step by step, with short lessons, exercises and a final project.",
    "A hands-on course: real {topic} tasks, worked examples and quizzes after key lessons.",
    "Everything you need to start with {topic} and keep going on your own.",
    "Deepen your {topic} skills with practical case studies and clear explanations.",
]
SUMMARY_FORMS_RU = [
    "Изучите основы {topic} шаг за шагом: короткие уроки, упражнения и итоговый проект.",
    "Практический курс {topic} с примерами, тестами и разбором типичных ошибок.",
]

DESCRIPTION_FORMS = [
    "<p>This course takes you through {topic} with a practical focus. Each lesson builds on the previous "
    "one, so by the end you will have a working project and the confidence to continue.</p>"
    "<p>You will learn the core ideas, the common tools and the mistakes to avoid. Quizzes check your "
    "understanding along the way.</p>",
    "<p>Designed for busy learners: lessons take ten to thirty minutes, and every one ends with an "
    "exercise in {topic}.</p><ul><li>clear explanations</li><li>worked examples</li><li>a certificate "
    "when you finish</li></ul>",
    "<p>We start from first principles of {topic} and move quickly to real-world problems: reading "
    "other people's work, planning your own, and improving it with feedback.</p>",
    "<p>Курс построен на практике: каждое занятие по теме {topic} заканчивается заданием. "
    "Вы научитесь применять знания в реальных проектах.</p>",
]

LESSON_TITLES = [
    "Getting started with {topic}",
    "Core concepts of {topic}",
    "Setting up your tools",
    "Working with data",
    "Common patterns",
    "Mistakes to avoid",
    "A first project",
    "Testing your work",
    "Going further with {topic}",
    "Performance and scale",
    "Collaboration and review",
    "Case study",
    "Best practices in {topic}",
    "Debugging and troubleshooting",
    "Putting it all together",
    "Final project",
]

# Lesson bodies: (heading, paragraphs, optional code) with {topic} filled in.
BODY_FORMS = [
    (
        "Why {topic} matters",
        "<p>In this lesson we look at what {topic} is good for and where it fits. Read the example "
        "carefully, then try the exercise at the end before moving on.</p>",
        ("python", 'def greet(name):\n    return f"Hello, {name}!"\n\nprint(greet("world"))'),
    ),
    (
        "Key ideas",
        "<p>Three ideas carry most of {topic}: structure, feedback and repetition. We will see each of "
        "them in a short example.</p><ul><li>structure your work</li><li>look for feedback</li>"
        "<li>repeat with variations</li></ul>",
        None,
    ),
    (
        "Step by step",
        "<p>Follow the steps below. If something does not work, compare your result with the reference "
        "and look for the first difference: that is usually where the problem is.</p>",
        ("sql", "SELECT title, count(*) AS lessons\nFROM course JOIN lesson USING (course_id)\nGROUP BY title;"),
    ),
    (
        "Practice",
        "<p>Practice makes {topic} stick. Do the exercise twice: once with the notes, once without. "
        "Then write down what you found hard.</p>",
        None,
    ),
    (
        "Data and measurement",
        "<p>Measure before you change anything. Collect data, analyse it, and only then decide. This "
        "habit is as useful in {topic} as anywhere else.</p>",
        ("bash", "wc -l data.csv\nsort data.csv | uniq -c | sort -rn | head"),
    ),
    (
        "Теория и практика",
        "<p>В этом уроке мы разберём ключевые понятия темы «{topic}» и закрепим их на практике. "
        "Выполните упражнение в конце урока.</p>",
        None,
    ),
    (
        "Review",
        "<p>Let us review what we covered so far and connect the pieces. A short quiz follows some "
        "lessons: it checks understanding, not memory.</p>",
        ("python", "scores = [72, 88, 95]\nprint(sum(scores) / len(scores))"),
    ),
    (
        "Project work",
        "<p>Start a small project that uses {topic}. Keep it small enough to finish in an evening, and "
        "share it for feedback.</p>",
        None,
    ),
]

REVIEW_TEXTS = [
    "Clear explanations and good exercises.",
    "Very practical, I used it at work the next day.",
    "A bit too fast in the middle, but worth it.",
    "Great teacher, well structured lessons.",
    "Some lessons are too short; I wanted more examples.",
    "Excellent course! Highly recommended.",
    "Хороший курс, всё понятно и по делу.",
    "Отличные примеры, спасибо автору!",
    "Good introduction, though the final project was hard.",
    "Not what I expected, too basic for me.",
]

# fmt: off
FIRST_NAMES = [
    "Anna", "Maria", "Olga", "Elena", "Irina", "Sofia", "Emma", "Olivia", "Lucas", "Noah", "Liam",
    "Ivan", "Dmitry", "Alexei", "Sergei", "Pavel", "Nikita", "James", "Mateo", "Léa", "Jonas", "Chen",
    "Aisha", "Fatima", "Hiro", "Priya", "Omar", "Sara", "Tomás", "Marta", "Анна", "Мария", "Иван",
    "Дмитрий", "Ольга", "Пётр", "Екатерина", "Михаил",
]
LAST_NAMES = [
    "Smith", "Johnson", "Brown", "Garcia", "Müller", "Martin", "Rossi", "Novak", "Kowalski", "Ivanov",
    "Petrova", "Sokolov", "Kuznetsova", "Popov", "Lebedev", "Kim", "Nguyen", "Singh", "Haddad", "Tanaka",
    "Silva", "Dubois", "Andersen", "Иванов", "Петрова", "Смирнов", "Васильева", "Фёдоров",
]
# fmt: on
