from .base import Course, Lesson, code, heading, text

COURSE = Course(
    title="Web Design Basics: HTML and CSS",
    summary="Build and style your first web page by hand, and understand what every line of it does.",
    description="""
        <p>Every website you visit is made of two languages working together: <b>HTML</b> describes what is on
        the page (headings, paragraphs, links, images) and <b>CSS</b> describes how it looks (colours, fonts,
        spacing and layout).</p>
        <p>In four lessons you will write a small personal page from an empty file, style it, and make it
        look good on both a phone and a wide screen. No tools are needed beyond a text editor and a browser,
        and nothing has to be installed.</p>
        <p>The course is a good foundation for anyone who wants to design for the web, write content for it,
        or go on to learn JavaScript and a web framework.</p>
    """,
    category="design",
    level="beginner",
    language="en",
    teacher="teacher2@example.com",
    duration_minutes=180,
    lessons=[
        Lesson(
            title="How a web page is built",
            minutes=20,
            body=[
                text("""
                    <p>When you open a web address, your browser downloads an HTML file and turns it into the page you
                    see. HTML marks up content with <b>tags</b>: <code>&lt;p&gt;</code> opens a paragraph and
                    <code>&lt;/p&gt;</code> closes it. An opening tag, the content and the closing tag together form
                    an <b>element</b>.</p>
                    <p>Every HTML document has the same skeleton. Create a folder for the course, save the following
                    as <code>index.html</code>, and open it in your browser by double-clicking it.</p>
                """),
                code(
                    "html",
                    """
                    <!DOCTYPE html>
                    <html lang="en">
                      <head>
                        <meta charset="utf-8">
                        <meta name="viewport" content="width=device-width, initial-scale=1">
                        <title>My first page</title>
                      </head>
                      <body>
                        <h1>Hello, I am Emma</h1>
                        <p>This is my very first web page.</p>
                      </body>
                    </html>
                    """,
                ),
                heading("The parts of the skeleton"),
                text("""
                    <ul>
                    <li><code>&lt;!DOCTYPE html&gt;</code> tells the browser to use modern HTML.</li>
                    <li><code>&lt;head&gt;</code> holds information <i>about</i> the page: its title in the browser tab, its character set, links to style sheets.</li>
                    <li><code>&lt;body&gt;</code> holds everything that is shown.</li>
                    <li>The <code>viewport</code> line makes phones show the page at its real size instead of a zoomed-out desktop view.</li>
                    </ul>
                    <p>Elements nest inside each other like boxes, and indentation shows that nesting to human readers
                    (the browser ignores it). Your browser's developer tools (F12) show this tree live: right-click any
                    part of a page and choose <i>Inspect</i>.</p>
                """),
            ],
        ),
        Lesson(
            title="Text, links and images",
            minutes=25,
            body=[
                text("""
                    <p>HTML gives meaning to content, and browsers, search engines and screen readers rely on that
                    meaning. Use headings <code>&lt;h1&gt;</code> to <code>&lt;h6&gt;</code> for the outline of the
                    page (one <code>&lt;h1&gt;</code> per page, without skipping levels), paragraphs for prose and
                    lists for lists.</p>
                """),
                code(
                    "html",
                    """
                    <h2>Things I like</h2>
                    <ul>
                      <li>Hiking in the <strong>mountains</strong></li>
                      <li>Old films, <em>especially</em> comedies</li>
                    </ul>

                    <p>Read more on <a href="https://developer.mozilla.org/">MDN Web Docs</a>.</p>

                    <img src="photo.jpg" alt="Emma on a mountain top, smiling" width="640" height="480">
                    """,
                ),
                heading("Attributes"),
                text("""
                    <p>Extra information goes into <b>attributes</b> inside the opening tag: <code>href</code> is
                    where a link leads, <code>src</code> is the file of an image. The <code>alt</code> attribute
                    describes an image for people who cannot see it; write what the image shows and why it is there,
                    not “image of”. Giving <code>width</code> and <code>height</code> lets the browser reserve space
                    before the image has loaded, so the text does not jump.</p>
                """),
                heading("Structure for the whole page"),
                text("""
                    <p>Group the page into regions with <code>&lt;header&gt;</code>, <code>&lt;nav&gt;</code>,
                    <code>&lt;main&gt;</code>, <code>&lt;section&gt;</code> and <code>&lt;footer&gt;</code>. They
                    look like plain boxes, but they let assistive technology jump straight to the main content.</p>
                    <p><b>Exercise:</b> extend your page with a header, a list of three favourite websites as links, a photo with good alt text, and a footer with your name.</p>
                """),
            ],
        ),
        Lesson(
            title="Styling with CSS",
            minutes=25,
            body=[
                text("""
                    <p>CSS is a list of <b>rules</b>. Each rule has a <b>selector</b> that picks elements and a block
                    of <b>declarations</b> that say how they look. Save the rules in <code>style.css</code> and link
                    it from the head of your page with
                    <code>&lt;link rel="stylesheet" href="style.css"&gt;</code>.</p>
                """),
                code(
                    "css",
                    """
                    body {
                      font-family: system-ui, sans-serif;
                      line-height: 1.6;
                      color: #1f2933;
                      max-width: 40rem;
                      margin: 0 auto;
                      padding: 1rem;
                    }

                    h1, h2 {
                      color: #1d4ed8;
                      line-height: 1.2;
                    }

                    a:hover {
                      text-decoration-thickness: 3px;
                    }
                    """,
                ),
                heading("Selectors and the cascade"),
                text("""
                    <ul>
                    <li><code>p</code> selects every paragraph (a type selector);</li>
                    <li><code>.note</code> selects elements with <code>class="note"</code>;</li>
                    <li><code>nav a</code> selects links inside the navigation;</li>
                    <li><code>a:hover</code> applies while the pointer is over a link.</li>
                    </ul>
                    <p>When several rules set the same property, the more specific selector wins, and among equals the
                    later rule wins. That is the “cascade” in Cascading Style Sheets. Prefer classes over long chains
                    of selectors: they are easier to reuse and to override.</p>
                """),
                heading("The box model"),
                text("""
                    <p>Every element is a box: the content, then <code>padding</code> (space inside the border),
                    <code>border</code>, and <code>margin</code> (space outside). Add
                    <code>*, *::before, *::after { box-sizing: border-box; }</code> at the top of your style sheet so
                    that widths include padding and border, which is far easier to reason about.</p>
                    <p>Keep enough contrast between text and background (at least 4.5:1 for body text), and limit the
                    line length to about 60–75 characters: <code>max-width: 40rem</code> above does exactly that.</p>
                """),
            ],
        ),
        Lesson(
            title="Layout with Flexbox and media queries",
            minutes=30,
            body=[
                text("""
                    <p>By default, boxes stack from top to bottom. <b>Flexbox</b> lays the children of a container in
                    a row (or column), spaces them and aligns them. It is ideal for navigation bars, cards in a row,
                    and centring things.</p>
                """),
                code(
                    "css",
                    """
                    .site-header {
                      display: flex;
                      align-items: center;
                      justify-content: space-between;
                      gap: 1rem;
                    }

                    .cards {
                      display: flex;
                      flex-wrap: wrap;
                      gap: 1.5rem;
                    }

                    .card {
                      flex: 1 1 16rem;   /* grow, shrink, and start from 16rem wide */
                      padding: 1rem;
                      border-radius: 0.5rem;
                      box-shadow: 0 1px 4px rgb(0 0 0 / 0.15);
                    }
                    """,
                ),
                text("""
                    <p>With <code>flex-wrap: wrap</code> and a base width, the cards arrange themselves: three in a
                    row on a laptop, one per row on a phone, with no extra code.</p>
                """),
                heading("Responsive design with media queries"),
                text("""
                    <p>Sometimes a layout should change at a certain width. A <b>media query</b> applies rules only
                    when a condition is met. Design for small screens first, then add rules for wider ones:</p>
                """),
                code(
                    "css",
                    """
                    .site-header {
                      flex-direction: column;
                    }

                    @media (min-width: 48rem) {
                      .site-header {
                        flex-direction: row;
                      }
                    }
                    """,
                ),
                text("""
                    <p>Test your page by resizing the browser window, or with the device toolbar of the developer
                    tools. When you need rows <i>and</i> columns at once, learn CSS Grid next: it completes Flexbox
                    rather than replacing it.</p>
                    <p><b>Final project:</b> give your page a header with your name and a navigation bar, a row of three cards about your hobbies, and a footer. It should look good from 320 to 1440 pixels wide.</p>
                """),
            ],
        ),
    ],
)
