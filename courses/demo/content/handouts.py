"""One-page PDF handouts, written as HTML and printed with weasyprint when the demo is seeded."""

STYLE = """
@page { size: A4; margin: 14mm 14mm 16mm; @bottom-center { content: "Learning Portal · demo"; font-family: "DejaVu Sans", sans-serif; font-size: 7pt; color: #94a3b8; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 8.6pt; line-height: 1.35; color: #1f2933; }
header { border-bottom: 3px solid ACCENT; margin-bottom: 5mm; padding-bottom: 2mm; }
h1 { font-size: 19pt; margin: 0; color: ACCENT; }
header p { margin: 1mm 0 0; color: #52606d; }
.column { float: left; width: 48%; }
.column + .column { float: right; }
section { break-inside: avoid; margin-bottom: 4mm; }
h2 { font-size: 10.5pt; margin: 0 0 1.5mm; color: ACCENT; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 7.8pt; background: #f1f5f9; border-radius: 2mm;
      padding: 2mm 2.5mm; margin: 0; white-space: pre-wrap; }
ul { margin: 0; padding-left: 4.5mm; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 7.8pt; }
"""


def page(title: str, subtitle: str, sections: str, *, lang: str, accent: str) -> str:
    """A one-page handout; `sections` is split into two columns at `<!-- column -->`.

    (Two floated columns rather than CSS `columns`: weasyprint balances those slowly.)
    """
    left, right = sections.split("<!-- column -->")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>{STYLE.replace("ACCENT", accent)}</style></head>
<body><header><h1>{title}</h1><p>{subtitle}</p></header>
<div class="column">{left}</div><div class="column">{right}</div></body></html>"""


PYTHON_CHEAT_SHEET = page(
    "Python cheat sheet",
    "The essentials of the course “Python for Beginners” on one page.",
    """
<section><h2>Values and variables</h2><pre>name = "Emma"          # str
age = 34               # int
height = 1.68          # float
is_student = False     # bool
nothing = None
type(age)              # &lt;class 'int'&gt;
int("42"), float("2.5"), str(7)</pre></section>

<section><h2>Strings</h2><pre>f"{name} is {age}"     # f-string
f"{3.14159:.2f}"       # '3.14'
name.upper(), name.lower(), name.strip()
"a,b,c".split(",")     # ['a', 'b', 'c']
", ".join(["a", "b"])  # 'a, b'
len(name), name[0], name[-1], name[1:3]</pre></section>

<section><h2>Input and output</h2><pre>reply = input("Your name? ")   # always a str
print("Hello", reply, sep=", ", end="!\\n")</pre></section>

<section><h2>Decisions</h2><pre>if score &gt;= 90:
    grade = "A"
elif score &gt;= 75:
    grade = "B"
else:
    grade = "C"</pre>
<ul><li>Compare: <code>== != &lt; &lt;= &gt; &gt;= in</code></li>
<li>Combine: <code>and or not</code></li></ul></section>

<section><h2>Lists</h2><pre>items = ["bread", "milk"]
items.append("tea")
items.insert(0, "eggs")
items.remove("milk")
items.sort(); sorted(items, reverse=True)
len(items), sum([1, 2, 3]), max([4, 9, 2])
squares = [n * n for n in range(5)]</pre></section>

<!-- column -->
<section><h2>Dictionaries</h2><pre>ages = {"Anna": 31, "Ivan": 28}
ages["Emma"] = 25
ages.get("Bob", 0)     # 0 when missing
for person, age in ages.items():
    print(person, age)</pre></section>

<section><h2>Loops</h2><pre>for item in items:
    print(item)
for i in range(1, 11):   # 1 … 10
    print(i)
while attempts &lt; 3:
    attempts += 1
# break: leave the loop; continue: next round</pre></section>

<section><h2>Functions</h2><pre>def area(width, height=1):
    \"\"\"Return the area of a rectangle.\"\"\"
    return width * height

area(3, 4)       # 12
area(width=5)    # 5</pre></section>

<section><h2>Errors</h2><pre>try:
    number = int(reply)
except ValueError:
    print("Not a number")</pre></section>

<section><h2>Modules</h2><pre>import random, math
from datetime import date
random.randint(1, 6); math.sqrt(16); date.today()</pre></section>
""",
    lang="en",
    accent="#1d4ed8",
)

SQL_CHEAT_SHEET = page(
    "Шпаргалка по SQL",
    "Основные команды курса «Введение в SQL» на одной странице.",
    """
<section><h2>Выборка</h2><pre>SELECT name, city
FROM customers
WHERE city = 'Москва'
ORDER BY name
LIMIT 10;</pre></section>

<section><h2>Условия WHERE</h2><ul>
<li><code>= &lt;&gt; &lt; &lt;= &gt; &gt;=</code> — сравнения</li>
<li><code>AND</code>, <code>OR</code>, <code>NOT</code> — логика</li>
<li><code>BETWEEN 10 AND 20</code> — диапазон</li>
<li><code>IN ('Москва', 'Казань')</code> — список</li>
<li><code>LIKE 'Ан%'</code> — шаблон, <code>%</code> — любые символы</li>
<li><code>IS NULL</code> / <code>IS NOT NULL</code> — пустые значения</li>
</ul></section>

<section><h2>Агрегаты и группировка</h2><pre>SELECT city, COUNT(*) AS n,
       AVG(age) AS avg_age
FROM customers
WHERE age &gt;= 18          -- до группировки
GROUP BY city
HAVING COUNT(*) &gt; 5     -- после группировки
ORDER BY n DESC;</pre>
<ul><li><code>COUNT SUM AVG MIN MAX</code></li></ul></section>

<section><h2>Соединения</h2><pre>SELECT o.id, c.name, p.title
FROM orders AS o
JOIN customers AS c ON c.id = o.customer_id
LEFT JOIN products AS p ON p.id = o.product_id;</pre>
<ul><li><code>JOIN</code> — только совпадающие строки</li>
<li><code>LEFT JOIN</code> — все строки слева, справа <code>NULL</code>, если пары нет</li></ul></section>

<!-- column -->
<section><h2>Изменение данных</h2><pre>INSERT INTO products (title, price)
VALUES ('Наушники', 4990);

UPDATE products SET price = price * 0.9
WHERE id = 7;

DELETE FROM orders WHERE id = 15;</pre>
<ul><li>Всегда пишите <code>WHERE</code> в <code>UPDATE</code> и <code>DELETE</code>!</li></ul></section>

<section><h2>Транзакции</h2><pre>BEGIN;
UPDATE accounts SET balance = balance - 100 WHERE id = 1;
UPDATE accounts SET balance = balance + 100 WHERE id = 2;
COMMIT;      -- или ROLLBACK;</pre></section>

<section><h2>Таблицы</h2><pre>CREATE TABLE customers (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    city TEXT,
    created_at DATE DEFAULT CURRENT_DATE
);
ALTER TABLE customers ADD COLUMN phone TEXT;
CREATE INDEX customers_city_idx ON customers (city);</pre></section>

<section><h2>Порядок частей запроса</h2><pre>SELECT … FROM … JOIN … WHERE …
GROUP BY … HAVING … ORDER BY … LIMIT …</pre></section>
""",
    lang="ru",
    accent="#047857",
)
