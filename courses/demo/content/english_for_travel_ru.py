from .base import Course, Lesson, heading, text

COURSE = Course(
    title="Английский для путешествий",
    summary="Самые нужные фразы и диалоги для аэропорта, отеля, кафе, транспорта и магазинов — чтобы уверенно чувствовать себя в поездке.",
    description="""
        <p>Чтобы объясниться за границей, не нужно годами учить грамматику. Большая часть разговоров в поездке
        повторяется: регистрация на рейс, заселение в отель, заказ в кафе, вопрос о дороге, покупка билета.
        Выучив несколько десятков фраз и поняв, как строятся типичные диалоги, вы справитесь почти с любой
        ситуацией.</p>
        <p>Курс построен по ситуациям. В каждом уроке — ключевые слова, готовые фразы с переводом, пример
        диалога и советы о том, как вести себя, если вы чего-то не поняли.</p>
        <p>Подходит для уровня «с нуля» и для тех, кто когда-то учил английский в школе и хочет быстро
        освежить разговорную базу перед отпуском.</p>
    """,
    category="languages",
    level="beginner",
    language="ru",
    teacher="teacher@example.com",
    duration_minutes=240,
    lessons=[
        Lesson(
            title="В аэропорту",
            minutes=20,
            body=[
                text("""
                    <p>Путешествие начинается в аэропорту, и здесь важно понимать объявления и вопросы сотрудников.
                    Хорошая новость: они почти всегда одинаковые.</p>
                """),
                heading("Ключевые слова"),
                text("""
                    <ul>
                    <li><b>check-in</b> — регистрация на рейс; <b>boarding pass</b> — посадочный талон;</li>
                    <li><b>gate</b> — выход на посадку; <b>boarding</b> — посадка;</li>
                    <li><b>luggage / baggage</b> — багаж; <b>carry-on</b> — ручная кладь;</li>
                    <li><b>delayed</b> — задерживается; <b>cancelled</b> — отменён;</li>
                    <li><b>departures / arrivals</b> — вылет / прилёт.</li>
                    </ul>
                """),
                heading("Полезные фразы"),
                text("""
                    <ul>
                    <li><i>I'd like to check in for my flight to London.</i> — Я хотел бы зарегистрироваться на рейс в Лондон.</li>
                    <li><i>Can I have a window seat / an aisle seat, please?</i> — Можно место у окна / у прохода?</li>
                    <li><i>Where is gate 12?</i> — Где выход номер 12?</li>
                    <li><i>My luggage hasn't arrived.</i> — Мой багаж не прибыл.</li>
                    </ul>
                """),
                heading("Диалог на стойке регистрации"),
                text("""
                    <p>
                    <b>Agent:</b> Good morning! Can I see your passport, please?<br>
                    <b>You:</b> Here you are.<br>
                    <b>Agent:</b> Are you checking any bags today?<br>
                    <b>You:</b> Yes, one suitcase.<br>
                    <b>Agent:</b> Please put it on the scale. Did you pack it yourself?<br>
                    <b>You:</b> Yes, I did.<br>
                    <b>Agent:</b> Here's your boarding pass. Boarding starts at 9:40 at gate 12.
                    </p>
                    <p>Совет: на вопросы о багаже отвечайте коротко — <i>Yes, I did</i> или <i>No</i>. Сотрудники
                    задают их по инструкции и ждут простого ответа.</p>
                """),
            ],
        ),
        Lesson(
            title="В отеле",
            minutes=20,
            body=[
                text("""
                    <p>При заселении обычно спрашивают имя, на которое сделана бронь, паспорт и банковскую карту
                    для депозита. Важно заранее знать, как сказать о бронировании и как попросить о помощи, если в
                    номере что-то не так.</p>
                """),
                heading("Полезные фразы"),
                text("""
                    <ul>
                    <li><i>I have a reservation under the name Petrov.</i> — У меня бронь на фамилию Петров.</li>
                    <li><i>What time is check-out?</i> — Во сколько нужно выехать из номера?</li>
                    <li><i>Is breakfast included?</i> — Завтрак включён?</li>
                    <li><i>What's the Wi-Fi password?</i> — Какой пароль от Wi-Fi?</li>
                    <li><i>The air conditioning doesn't work.</i> — Не работает кондиционер.</li>
                    <li><i>Could I have an extra towel, please?</i> — Можно ещё одно полотенце?</li>
                    <li><i>Can I leave my luggage here until 6 pm?</i> — Можно оставить багаж до 18:00?</li>
                    </ul>
                """),
                heading("Вежливость решает всё"),
                text("""
                    <p>В английском просьбы почти всегда смягчают. Вместо прямого <i>Give me a towel</i> говорят
                    <i>Could I have…</i>, <i>Would it be possible to…</i> или хотя бы добавляют <i>please</i>. Фраза
                    без этих слов может прозвучать грубо, даже если вы этого не хотели.</p>
                """),
                text("""
                    <p>
                    <b>Receptionist:</b> Hello, welcome to the Park Hotel. How can I help you?<br>
                    <b>You:</b> Hi! I have a reservation under the name Petrov, for three nights.<br>
                    <b>Receptionist:</b> Yes, I've found it. A double room with breakfast. Could I see your passport?<br>
                    <b>You:</b> Sure. What time is breakfast?<br>
                    <b>Receptionist:</b> From seven to ten, on the first floor. Your room is 305. Enjoy your stay!
                    </p>
                    <p>Обратите внимание: в британском английском <i>first floor</i> — это второй этаж, а первый
                    называется <i>ground floor</i>.</p>
                """),
            ],
        ),
        Lesson(
            title="В кафе и ресторане",
            minutes=20,
            body=[
                text("""
                    <p>Заказ еды — одна из самых частых ситуаций в поездке. Официант задаёт несколько стандартных
                    вопросов: сколько вас, что будете пить, готовы ли заказать, всё ли в порядке.</p>
                """),
                heading("Полезные фразы"),
                text("""
                    <ul>
                    <li><i>A table for two, please.</i> — Столик на двоих, пожалуйста.</li>
                    <li><i>Could we see the menu, please?</i> — Можно меню?</li>
                    <li><i>What do you recommend?</i> — Что вы посоветуете?</li>
                    <li><i>I'll have the soup and the grilled fish.</i> — Мне суп и рыбу на гриле.</li>
                    <li><i>I'm allergic to nuts.</i> — У меня аллергия на орехи.</li>
                    <li><i>Could we have the bill, please?</i> — Можно счёт? (в США — <i>the check</i>)</li>
                    <li><i>Can I pay by card?</i> — Можно оплатить картой?</li>
                    </ul>
                """),
                heading("Диалог"),
                text("""
                    <p>
                    <b>Waiter:</b> Are you ready to order?<br>
                    <b>You:</b> Yes. I'll have the chicken salad, please. Is it spicy?<br>
                    <b>Waiter:</b> No, not at all. Anything to drink?<br>
                    <b>You:</b> Just sparkling water, please.<br>
                    <b>Waiter:</b> Great. Anything else?<br>
                    <b>You:</b> No, that's all, thank you.
                    </p>
                    <p>Чаевые: в США принято оставлять 15–20 %, в Великобритании часто уже включён
                    <i>service charge</i> — проверьте счёт. Спросить можно так: <i>Is service included?</i></p>
                """),
            ],
        ),
        Lesson(
            title="Транспорт и как спросить дорогу",
            minutes=25,
            body=[
                text("""
                    <p>Даже с картой в телефоне иногда приходится спрашивать дорогу или покупать билет в кассе.
                    Главное — начать вежливо: <i>Excuse me, could you help me?</i> Так вы привлечёте внимание и
                    сразу покажете, что нужна помощь.</p>
                """),
                heading("Спрашиваем дорогу"),
                text("""
                    <ul>
                    <li><i>Excuse me, how do I get to the train station?</i> — Простите, как пройти к вокзалу?</li>
                    <li><i>Is it far from here?</i> — Это далеко отсюда?</li>
                    <li><i>Can I walk there?</i> — Можно дойти пешком?</li>
                    <li><i>Could you show me on the map?</i> — Можете показать на карте?</li>
                    </ul>
                """),
                heading("Понимаем ответ"),
                text("""
                    <ul>
                    <li><i>Go straight on</i> — идите прямо; <i>turn left / right</i> — поверните налево / направо;</li>
                    <li><i>at the traffic lights</i> — на светофоре; <i>at the corner</i> — на углу;</li>
                    <li><i>opposite</i> — напротив; <i>next to</i> — рядом с; <i>it's about ten minutes' walk</i> — примерно десять минут пешком.</li>
                    </ul>
                    <p>Если не поняли, не стесняйтесь переспросить: <i>Sorry, could you say that again more slowly?</i>
                    Люди охотно повторяют, а попросить записать адрес — <i>Could you write it down?</i> — тоже
                    нормально.</p>
                """),
                heading("Билеты"),
                text("""
                    <ul>
                    <li><i>A single / return ticket to Oxford, please.</i> — Билет в одну сторону / туда и обратно до Оксфорда.</li>
                    <li><i>Which platform does the train leave from?</i> — С какой платформы отправляется поезд?</li>
                    <li><i>Does this bus go to the city centre?</i> — Этот автобус идёт в центр?</li>
                    <li><i>Could you tell me when to get off?</i> — Подскажете, где мне выходить?</li>
                    </ul>
                    <p>В США вместо <i>return ticket</i> говорят <i>round-trip ticket</i>, а вместо
                    <i>single</i> — <i>one-way</i>.</p>
                """),
            ],
        ),
        Lesson(
            title="Покупки и непредвиденные ситуации",
            minutes=20,
            body=[
                heading("В магазине"),
                text("""
                    <ul>
                    <li><i>How much is this?</i> — Сколько это стоит?</li>
                    <li><i>Do you have this in a smaller / larger size?</i> — Есть размер поменьше / побольше?</li>
                    <li><i>Can I try it on?</i> — Можно примерить?</li>
                    <li><i>I'm just looking, thanks.</i> — Я просто смотрю, спасибо.</li>
                    <li><i>Can I get a tax refund form?</i> — Можно бланк для возврата налога (tax free)?</li>
                    </ul>
                """),
                heading("Если что-то пошло не так"),
                text("""
                    <p>Эти фразы лучше выучить заранее — в стрессовой ситуации вспоминать слова сложнее всего:</p>
                    <ul>
                    <li><i>Help!</i> — Помогите!</li>
                    <li><i>Please call an ambulance / the police.</i> — Вызовите скорую / полицию.</li>
                    <li><i>I've lost my passport.</i> — Я потерял паспорт.</li>
                    <li><i>My wallet has been stolen.</i> — У меня украли кошелёк.</li>
                    <li><i>I need a doctor. I feel sick.</i> — Мне нужен врач. Мне плохо.</li>
                    <li><i>Where is the nearest pharmacy?</i> — Где ближайшая аптека?</li>
                    </ul>
                    <p>Единый номер экстренных служб в Европе — <b>112</b>, в США и Канаде — <b>911</b>, в
                    Великобритании работают и <b>999</b>, и 112. Сохраните в телефоне адрес и телефон консульства
                    страны, в которую едете.</p>
                """),
                heading("Итоги"),
                text("""
                    <p>Вы выучили фразы для самых частых ситуаций в поездке. Чтобы они не забылись, перед отъездом
                    проговорите вслух диалоги из каждого урока, а в поездке не бойтесь ошибаться: собеседники ценят
                    попытку говорить на их языке гораздо больше, чем идеальную грамматику.</p>
                    <p><b>Задание:</b> составьте свой диалог для ситуации «в отеле не работает Wi-Fi» и разыграйте его с другом.</p>
                """),
            ],
        ),
    ],
)
