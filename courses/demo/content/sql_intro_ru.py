from .base import Course, Lesson, code, document, heading, text, video

COURSE = Course(
    title="Введение в SQL",
    summary="Научитесь получать ответы из баз данных: выборки, фильтры, группировки и соединения таблиц на языке SQL.",
    description="""
        <p>SQL — язык, на котором разговаривают с реляционными базами данных. Им пользуются аналитики,
        разработчики, маркетологи и менеджеры: везде, где данные хранятся в таблицах, SQL помогает быстро
        получить ответ на вопрос вроде «сколько заказов мы получили в марте и от каких клиентов».</p>
        <p>Курс рассчитан на тех, кто никогда не писал запросов. Мы разберём устройство таблиц, научимся
        выбирать и фильтровать строки, считать итоги, соединять таблицы и аккуратно изменять данные. Все
        примеры построены на одной учебной базе небольшого интернет-магазина.</p>
        <p>Для практики подойдёт любая СУБД: SQLite, PostgreSQL или MySQL. В конце курса вас ждёт шпаргалка
        по основным командам в PDF.</p>
    """,
    category="data",
    level="beginner",
    language="ru",
    teacher="teacher@example.com",
    duration_minutes=210,
    lessons=[
        Lesson(
            title="Что такое база данных и SQL",
            minutes=15,
            body=[
                video("intro", captions="ru"),
                text("""
                    <p><b>База данных</b> — это организованное хранилище информации. В реляционных базах данные
                    лежат в <b>таблицах</b>: у каждой таблицы есть <b>столбцы</b> с именем и типом (число, текст,
                    дата) и <b>строки</b> — отдельные записи. Например, в таблице клиентов каждая строка описывает
                    одного клиента, а столбцы — его имя, город и дату регистрации.</p>
                    <p>Программа, которая хранит таблицы и выполняет запросы, называется <b>СУБД</b> (система
                    управления базами данных): PostgreSQL, MySQL, SQLite, Microsoft SQL Server и другие. Все они
                    понимают SQL, хотя у каждой есть свои особенности.</p>
                """),
                heading("Наша учебная база"),
                text("""
                    <p>Во всех уроках мы будем работать с тремя таблицами интернет-магазина:</p>
                    <ul>
                    <li><code>customers</code> — клиенты: <code>id</code>, <code>name</code>, <code>city</code>;</li>
                    <li><code>products</code> — товары: <code>id</code>, <code>title</code>, <code>price</code>;</li>
                    <li><code>orders</code> — заказы: <code>id</code>, <code>customer_id</code>, <code>product_id</code>, <code>quantity</code>, <code>created_at</code>.</li>
                    </ul>
                    <p>Столбец <code>id</code> — <b>первичный ключ</b>: уникальный номер строки. Столбец
                    <code>customer_id</code> в заказах — <b>внешний ключ</b>: он ссылается на клиента, сделавшего
                    заказ. Так таблицы связываются между собой без дублирования данных.</p>
                """),
                code(
                    "sql",
                    """
                    CREATE TABLE customers (
                        id   INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        city TEXT
                    );

                    INSERT INTO customers (id, name, city) VALUES
                        (1, 'Анна Смирнова', 'Москва'),
                        (2, 'Иван Петров', 'Казань'),
                        (3, 'Мария Соколова', 'Москва');
                    """,
                ),
                text("""
                    <p><b>Задание:</b> установите SQLite или откройте онлайн-песочницу (например, sqliteonline.com) и создайте таблицу <code>customers</code> из примера.</p>
                """),
            ],
        ),
        Lesson(
            title="SELECT: выбираем и фильтруем данные",
            minutes=20,
            body=[
                text("""
                    <p>Главная команда SQL — <code>SELECT</code>. Она не меняет данные, а только читает их, поэтому
                    экспериментировать с ней безопасно. После <code>SELECT</code> перечисляют нужные столбцы, после
                    <code>FROM</code> — таблицу.</p>
                """),
                code(
                    "sql",
                    """
                    SELECT name, city
                    FROM customers;

                    SELECT *            -- звёздочка означает «все столбцы»
                    FROM products;
                    """,
                ),
                heading("Фильтр WHERE"),
                text("""
                    <p>Условие <code>WHERE</code> оставляет только подходящие строки. В условиях используют
                    сравнения (<code>=</code>, <code>&lt;&gt;</code>, <code>&lt;</code>, <code>&gt;=</code>),
                    логические связки <code>AND</code>, <code>OR</code>, <code>NOT</code>, а также удобные
                    операторы:</p>
                    <ul>
                    <li><code>BETWEEN 100 AND 500</code> — значение в диапазоне, включая границы;</li>
                    <li><code>IN ('Москва', 'Казань')</code> — значение из списка;</li>
                    <li><code>LIKE 'Ан%'</code> — текст по шаблону, <code>%</code> означает любую последовательность символов;</li>
                    <li><code>IS NULL</code> — значение отсутствует. Обратите внимание: <code>= NULL</code> не работает никогда.</li>
                    </ul>
                """),
                code(
                    "sql",
                    """
                    SELECT title, price
                    FROM products
                    WHERE price BETWEEN 1000 AND 5000
                      AND title LIKE '%наушники%'
                    ORDER BY price DESC
                    LIMIT 5;
                    """,
                ),
                text("""
                    <p><code>ORDER BY</code> сортирует результат (<code>ASC</code> — по возрастанию, по умолчанию;
                    <code>DESC</code> — по убыванию), а <code>LIMIT</code> ограничивает число строк. Без
                    <code>ORDER BY</code> порядок строк не гарантирован, даже если кажется постоянным.</p>
                    <p><b>Задание:</b> выведите трёх самых дорогих товаров дешевле 10 000 рублей.</p>
                """),
            ],
        ),
        Lesson(
            title="Агрегатные функции и GROUP BY",
            minutes=25,
            body=[
                text("""
                    <p>Часто нужна не сама строка, а итог: сколько заказов, какова средняя цена, когда был последний
                    заказ. Для этого есть <b>агрегатные функции</b>: <code>COUNT</code>, <code>SUM</code>,
                    <code>AVG</code>, <code>MIN</code> и <code>MAX</code>. Они сворачивают много строк в одно
                    значение.</p>
                """),
                code(
                    "sql",
                    """
                    SELECT COUNT(*) AS orders_total,
                           SUM(quantity) AS items_total,
                           MAX(created_at) AS last_order
                    FROM orders;
                    """,
                ),
                heading("Группировка"),
                text("""
                    <p><code>GROUP BY</code> делит строки на группы с одинаковым значением и считает агрегаты для
                    каждой группы отдельно. Правило простое: всё, что стоит в <code>SELECT</code> и не является
                    агрегатом, должно быть перечислено в <code>GROUP BY</code>.</p>
                """),
                code(
                    "sql",
                    """
                    SELECT city, COUNT(*) AS customers
                    FROM customers
                    GROUP BY city
                    HAVING COUNT(*) >= 2
                    ORDER BY customers DESC;
                    """,
                ),
                text("""
                    <p>Чем <code>HAVING</code> отличается от <code>WHERE</code>? <code>WHERE</code> фильтрует строки
                    <i>до</i> группировки, а <code>HAVING</code> — готовые группы <i>после</i> неё. Поэтому условие
                    на агрегат (например, «больше двух клиентов») можно написать только в <code>HAVING</code>.</p>
                    <p>Запомните порядок частей запроса: <code>SELECT … FROM … WHERE … GROUP BY … HAVING … ORDER BY … LIMIT</code>.</p>
                    <p><b>Задание:</b> посчитайте для каждого товара общее количество проданных штук и выведите пять самых популярных.</p>
                """),
            ],
        ),
        Lesson(
            title="JOIN: соединяем таблицы",
            minutes=25,
            body=[
                text("""
                    <p>В таблице заказов хранится только номер клиента, а имя — в таблице клиентов. Чтобы увидеть их
                    вместе, таблицы <b>соединяют</b> по ключу с помощью <code>JOIN</code>. Условие соединения
                    пишется после <code>ON</code>.</p>
                """),
                code(
                    "sql",
                    """
                    SELECT o.id, c.name, p.title, o.quantity
                    FROM orders AS o
                    JOIN customers AS c ON c.id = o.customer_id
                    JOIN products  AS p ON p.id = o.product_id
                    WHERE c.city = 'Москва'
                    ORDER BY o.created_at DESC;
                    """,
                ),
                text("""
                    <p>Короткие псевдонимы (<code>o</code>, <code>c</code>, <code>p</code>) делают запрос короче и
                    позволяют однозначно указать, из какой таблицы взят столбец: <code>id</code> есть во всех трёх.</p>
                """),
                heading("Виды соединений"),
                text("""
                    <ul>
                    <li><code>INNER JOIN</code> (или просто <code>JOIN</code>) — только строки, для которых нашлась пара в обеих таблицах.</li>
                    <li><code>LEFT JOIN</code> — все строки левой таблицы; если пары нет, столбцы правой таблицы будут <code>NULL</code>.</li>
                    <li><code>RIGHT JOIN</code> и <code>FULL JOIN</code> встречаются реже и работают симметрично.</li>
                    </ul>
                    <p><code>LEFT JOIN</code> незаменим, когда нужно найти то, чего нет, — например, клиентов без
                    единого заказа:</p>
                """),
                code(
                    "sql",
                    """
                    SELECT c.name
                    FROM customers AS c
                    LEFT JOIN orders AS o ON o.customer_id = c.id
                    WHERE o.id IS NULL;
                    """,
                ),
                text("""
                    <p><b>Задание:</b> выведите для каждого клиента сумму всех его покупок (цена × количество), включая клиентов без заказов — у них должна быть сумма 0. Подсказка: <code>COALESCE(SUM(...), 0)</code>.</p>
                """),
            ],
        ),
        Lesson(
            title="Изменяем данные: INSERT, UPDATE, DELETE",
            minutes=20,
            body=[
                text("""
                    <p>Три команды меняют содержимое таблиц: <code>INSERT</code> добавляет строки,
                    <code>UPDATE</code> изменяет их, <code>DELETE</code> удаляет. В отличие от <code>SELECT</code>,
                    здесь ошибка стоит дорого, поэтому работайте аккуратно.</p>
                """),
                code(
                    "sql",
                    """
                    INSERT INTO products (title, price)
                    VALUES ('Беспроводные наушники', 4990);

                    UPDATE products
                    SET price = price * 0.9        -- скидка 10 %
                    WHERE title LIKE '%наушники%';

                    DELETE FROM orders
                    WHERE created_at < '2020-01-01';
                    """,
                ),
                heading("Правила безопасности"),
                text("""
                    <ol>
                    <li><b>Никогда не забывайте WHERE</b> в <code>UPDATE</code> и <code>DELETE</code>: без условия команда затронет все строки таблицы.</li>
                    <li>Перед изменением выполните <code>SELECT</code> с тем же условием и убедитесь, что он возвращает именно те строки.</li>
                    <li>Используйте транзакции: <code>BEGIN;</code> … проверка … <code>COMMIT;</code> или <code>ROLLBACK;</code>, если что-то пошло не так.</li>
                    <li>Делайте резервные копии и не экспериментируйте на рабочей базе.</li>
                    </ol>
                """),
                code(
                    "sql",
                    """
                    BEGIN;
                    DELETE FROM customers WHERE city IS NULL;
                    SELECT COUNT(*) FROM customers;   -- проверяем результат
                    ROLLBACK;                         -- или COMMIT, если всё верно
                    """,
                ),
                heading("Итоги курса"),
                text("""
                    <p>Поздравляем: теперь вы умеете читать данные, фильтровать, группировать и соединять таблицы, а
                    также безопасно их изменять. Скачайте шпаргалку ниже и держите её под рукой. Следующие шаги —
                    подзапросы, оконные функции и индексы.</p>
                """),
                document("sql-cheat-sheet"),
            ],
        ),
    ],
)
