from .base import Course, Lesson, code, document, heading, text, video

COURSE = Course(
    title="Python for Beginners",
    summary="Write your first real programs in Python: variables, decisions, loops and functions, one small step at a time.",
    description="""
        <p>Python is one of the friendliest programming languages to start with: its code reads almost like
        English, it runs on every computer, and the same skills take you to web development, data analysis,
        automation and science.</p>
        <p>This course assumes no programming experience at all. Each lesson introduces one idea, shows it in
        short examples you can type yourself, and ends with a small exercise. By the end you will write a
        complete little program that talks to its user, makes decisions and repeats work for you.</p>
        <p>All you need is a computer with Python 3.11 or newer and about two hours, which you can spread over
        as many evenings as you like.</p>
    """,
    category="programming",
    level="beginner",
    language="en",
    teacher="teacher@example.com",
    duration_minutes=120,
    lessons=[
        Lesson(
            title="Welcome: what Python is and how to run it",
            minutes=15,
            body=[
                video("intro", captions="en"),
                text("""
                    <p>Welcome! In this first lesson we set up everything you need and run a first line of Python.
                    The short video above shows how a lesson looks; the text below is what you will come back to.</p>
                    <p>A <b>program</b> is a list of instructions for the computer, written in a language both you and
                    the computer can read. Python is such a language. The <b>Python interpreter</b> is the program
                    that reads your instructions and carries them out, one line after another.</p>
                """),
                heading("Installing Python"),
                text("""
                    <ol>
                    <li>Open <a href="https://www.python.org/downloads/">python.org/downloads</a> and download the latest Python 3 for your system.</li>
                    <li>On Windows, tick <i>Add python.exe to PATH</i> in the first screen of the installer.</li>
                    <li>Open a terminal (on Windows: <i>Command Prompt</i>) and type <code>python --version</code>. You should see something like <code>Python 3.12.2</code>.</li>
                    </ol>
                    <p>On macOS and Linux the command may be called <code>python3</code>. Use whichever works for you.</p>
                """),
                heading("Your first line of code"),
                text("""
                    <p>Type <code>python</code> in the terminal. The prompt changes to <code>&gt;&gt;&gt;</code>: this is the
                    <b>interactive shell</b>, where Python answers every line right away. Try this:</p>
                """),
                code(
                    "python",
                    """
                    >>> print("Hello, world!")
                    Hello, world!
                    >>> 2 + 3 * 4
                    14
                    """,
                ),
                text("""
                    <p>To write longer programs, save the code in a file ending in <code>.py</code>, for example
                    <code>hello.py</code>, and run it with <code>python hello.py</code>. Any text editor works; a free
                    code editor such as VS Code or Thonny colours the code and makes mistakes easier to spot.</p>
                    <p><b>Exercise:</b> write a file <code>hello.py</code> that prints your name and the year you were born.</p>
                """),
            ],
        ),
        Lesson(
            title="Variables, numbers and text",
            minutes=20,
            body=[
                text("""
                    <p>A <b>variable</b> is a name that refers to a value. You create one with the equals sign, which in
                    Python means “let this name refer to”, not “is equal to”. Once a value has a name, you can use it
                    again and again.</p>
                """),
                code(
                    "python",
                    """
                    price = 4.50
                    quantity = 3
                    total = price * quantity
                    print(total)  # 13.5
                    """,
                ),
                heading("Types of values"),
                text("""
                    <p>Every value has a <b>type</b>, which decides what you can do with it:</p>
                    <ul>
                    <li><code>int</code>: whole numbers such as <code>42</code> or <code>-7</code>;</li>
                    <li><code>float</code>: numbers with a decimal point such as <code>3.14</code>;</li>
                    <li><code>str</code>: text (a “string” of characters) in quotes, such as <code>"Anna"</code>;</li>
                    <li><code>bool</code>: <code>True</code> or <code>False</code>.</li>
                    </ul>
                    <p>Ask Python with <code>type(value)</code> whenever you are unsure.</p>
                """),
                heading("Working with text"),
                text("""
                    <p>Strings can be joined with <code>+</code>, repeated with <code>*</code> and, most usefully,
                    filled in with <b>f-strings</b>: put an <code>f</code> before the quotes and any expression in
                    curly braces is replaced by its value.</p>
                """),
                code(
                    "python",
                    """
                    name = input("What is your name? ")
                    age = int(input("How old are you? "))
                    print(f"Hello, {name}! In ten years you will be {age + 10}.")
                    print(name.upper(), len(name))
                    """,
                ),
                text("""
                    <p>Note the <code>int(...)</code> around <code>input(...)</code>: whatever the user types arrives as
                    text, and <code>"30" + 10</code> is an error. Converting between types is something you will do
                    often: <code>int()</code>, <code>float()</code> and <code>str()</code> do it.</p>
                    <p><b>Exercise:</b> ask for the length and width of a room in metres and print its area with two decimals, using <code>f"{area:.2f}"</code>.</p>
                """),
            ],
        ),
        Lesson(
            title="Making decisions with if, elif and else",
            minutes=20,
            body=[
                text("""
                    <p>Programs become interesting when they react to what happens. The <code>if</code> statement runs
                    a block of code only when a condition is true. The block is the indented lines below it: in
                    Python, <b>indentation is part of the syntax</b>, and four spaces is the convention.</p>
                """),
                code(
                    "python",
                    """
                    temperature = float(input("Temperature outside, °C: "))

                    if temperature < 0:
                        print("Freezing: take a warm coat.")
                    elif temperature < 15:
                        print("Chilly: a jacket will do.")
                    else:
                        print("Warm enough for a T-shirt.")
                    """,
                ),
                heading("Comparisons and logic"),
                text("""
                    <p>Conditions are built from comparisons, which give <code>True</code> or <code>False</code>:</p>
                    <ul>
                    <li><code>==</code> equal, <code>!=</code> not equal;</li>
                    <li><code>&lt;</code>, <code>&lt;=</code>, <code>&gt;</code>, <code>&gt;=</code> for order;</li>
                    <li><code>in</code> to test membership, e.g. <code>"a" in "cat"</code>.</li>
                    </ul>
                    <p>Combine them with <code>and</code>, <code>or</code> and <code>not</code>. Python checks the
                    branches from top to bottom and runs only the first one whose condition holds, so put the most
                    specific cases first.</p>
                """),
                code(
                    "python",
                    """
                    age = 17
                    has_ticket = True

                    if age >= 18 and has_ticket:
                        print("Welcome to the concert!")
                    elif has_ticket:
                        print("You need an adult with you.")
                    else:
                        print("Please buy a ticket first.")
                    """,
                ),
                text("""
                    <p>A frequent beginner mistake is writing <code>=</code> (assignment) where you mean
                    <code>==</code> (comparison). Python refuses <code>if age = 18:</code> with a <i>SyntaxError</i>,
                    which is actually helpful: read error messages, they usually point at the right line.</p>
                    <p><b>Exercise:</b> ask for a year and print whether it is a leap year (divisible by 4, but not by 100 unless also by 400). Hint: <code>year % 4 == 0</code>.</p>
                """),
            ],
        ),
        Lesson(
            title="Lists and loops",
            minutes=25,
            body=[
                text("""
                    <p>A <b>list</b> keeps several values in order, in square brackets. Items are numbered from
                    <b>zero</b>: the first item is <code>items[0]</code>, and <code>items[-1]</code> is the last one.
                    Lists can grow and shrink while the program runs.</p>
                """),
                code(
                    "python",
                    """
                    groceries = ["bread", "milk", "apples"]
                    groceries.append("cheese")
                    print(groceries[0])      # bread
                    print(len(groceries))    # 4
                    groceries.remove("milk")
                    """,
                ),
                heading("The for loop"),
                text("""
                    <p>A <code>for</code> loop runs its block once for every item of a list (or any other sequence).
                    Together with <code>range(n)</code>, which counts from 0 to n − 1, it replaces a lot of copy and
                    paste.</p>
                """),
                code(
                    "python",
                    """
                    scores = [72, 95, 88, 61]
                    total = 0
                    for score in scores:
                        total += score
                    print(f"Average: {total / len(scores):.1f}")

                    for number in range(1, 6):
                        print(number, number ** 2)
                    """,
                ),
                heading("The while loop"),
                text("""
                    <p>A <code>while</code> loop repeats as long as its condition is true. Use it when you do not know
                    in advance how many times to repeat, for example until the user gives a valid answer. Make sure
                    something inside the loop eventually makes the condition false, or the loop never ends (press
                    <code>Ctrl+C</code> to stop a runaway program).</p>
                """),
                code(
                    "python",
                    """
                    answer = ""
                    while answer not in ("yes", "no"):
                        answer = input("Continue? (yes/no) ").strip().lower()
                    """,
                ),
                text("""
                    <p>Two keywords change a loop's course: <code>break</code> leaves the loop at once, and
                    <code>continue</code> skips to the next round.</p>
                    <p><b>Exercise:</b> keep asking for numbers until the user types an empty line, then print how many numbers there were, their sum and the largest one (<code>max(numbers)</code>).</p>
                """),
            ],
        ),
        Lesson(
            title="Functions and a first complete program",
            minutes=30,
            body=[
                text("""
                    <p>A <b>function</b> is a named piece of code that you can call whenever you need it. You already
                    used several: <code>print</code>, <code>input</code>, <code>len</code>. Writing your own keeps
                    programs short and readable, because every task gets a name and lives in one place.</p>
                """),
                code(
                    "python",
                    """
                    def greet(name, greeting="Hello"):
                        \"\"\"Return a greeting for one person.\"\"\"
                        return f"{greeting}, {name}!"

                    print(greet("Emma"))             # Hello, Emma!
                    print(greet("Ivan", "Welcome"))  # Welcome, Ivan!
                    """,
                ),
                text("""
                    <p>The names in parentheses are <b>parameters</b>; a parameter with <code>=</code> has a default
                    value. <code>return</code> hands a result back to the caller. A function without
                    <code>return</code> gives back <code>None</code>.</p>
                """),
                heading("Putting it all together: a guessing game"),
                text("""
                    <p>Here is a complete program that uses everything from this course: variables, input, decisions,
                    a loop and functions. Type it in, run it, then change it: limit the number of guesses, or let
                    the player choose the range.</p>
                """),
                code(
                    "python",
                    """
                    import random


                    def ask_number(prompt):
                        while True:
                            reply = input(prompt)
                            if reply.isdigit():
                                return int(reply)
                            print("Please type a whole number.")


                    def play(low=1, high=100):
                        secret = random.randint(low, high)
                        attempts = 0
                        print(f"I am thinking of a number between {low} and {high}.")
                        while True:
                            guess = ask_number("Your guess: ")
                            attempts += 1
                            if guess < secret:
                                print("Higher!")
                            elif guess > secret:
                                print("Lower!")
                            else:
                                print(f"Correct! You needed {attempts} attempts.")
                                return attempts


                    if __name__ == "__main__":
                        play()
                    """,
                ),
                heading("Where to go next"),
                text("""
                    <p>Congratulations on finishing the course! Keep the cheat sheet below at hand while you practise.
                    Good next steps are dictionaries (<code>{"key": "value"}</code>), reading and writing files, and
                    the many modules of the standard library, such as <code>datetime</code> and <code>csv</code>.</p>
                """),
                document("python-cheat-sheet"),
            ],
        ),
    ],
)
