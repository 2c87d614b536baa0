from .base import Course, Lesson, code, heading, text

COURSE = Course(
    title="Data Visualization Principles",
    summary="Choose the right chart, remove the clutter and make your data tell a clear, honest story.",
    description="""
        <p>A good chart lets a reader understand in seconds what a table of numbers would hide. A bad one
        confuses, or worse, misleads. The difference rarely lies in the software: it lies in a handful of
        principles that you can learn and apply with any tool, from a spreadsheet to Python.</p>
        <p>This course is for analysts, researchers, managers and students who already make charts and want them
        to work better. We cover why we visualise at all, how to pick a chart type, how to use colour and text,
        and how to build a visual argument.</p>
        <p>Examples use Python's matplotlib, but every idea applies equally to Excel, Google Sheets, Tableau or
        Power BI.</p>
    """,
    category="data",
    level="intermediate",
    language="en",
    teacher="teacher@example.com",
    duration_minutes=150,
    lessons=[
        Lesson(
            title="Why we visualize data",
            minutes=15,
            body=[
                text("""
                    <p>In 1973 the statistician Francis Anscombe published four small data sets that share almost
                    the same summary statistics: the same mean of x and y, the same variance, the same correlation
                    (0.82) and the same regression line. Plotted, they could not look more different: one is a noisy
                    line, one a clean curve, one a perfect line with a single outlier, and one a vertical stack of
                    points with one far-away point creating the entire “trend”.</p>
                    <p>The lesson of <b>Anscombe's quartet</b> is that summaries compress data and lose information.
                    Looking at the data is part of understanding it, not decoration added at the end.</p>
                """),
                heading("Exploring versus explaining"),
                text("""
                    <p>Charts serve two different purposes, and it pays to know which one you are doing:</p>
                    <ul>
                    <li><b>Exploratory</b> charts are for you. Make many, quickly, to find patterns, errors and questions. They do not need to be pretty.</li>
                    <li><b>Explanatory</b> charts are for an audience. Make few, carefully, each answering one question. Every element should help the reader get the point.</li>
                    </ul>
                    <p>Most bad charts in reports are exploratory charts that were pasted in without being turned into
                    explanatory ones.</p>
                    <p><b>Exercise:</b> find a chart in a recent report or news article. Write down in one sentence what it wants you to conclude. If you cannot, the chart has a problem.</p>
                """),
            ],
        ),
        Lesson(
            title="Choosing the right chart",
            minutes=25,
            body=[
                text("""
                    <p>Start from the question, not from the chart gallery. Most business and research questions
                    fall into a few families, and each has charts that answer it well:</p>
                    <ul>
                    <li><b>Comparison</b> between categories: a bar chart, sorted by value. Horizontal bars leave room for long labels.</li>
                    <li><b>Change over time</b>: a line chart, time on the horizontal axis, left to right.</li>
                    <li><b>Distribution</b> of one variable: a histogram or a box plot.</li>
                    <li><b>Relationship</b> between two variables: a scatter plot, perhaps with a trend line.</li>
                    <li><b>Part of a whole</b>: a stacked bar, or a pie chart with no more than three or four slices.</li>
                    </ul>
                """),
                heading("Why bar charts are so often the answer"),
                text("""
                    <p>People compare <b>positions along a common scale</b> very accurately, lengths fairly well, and
                    angles, areas and colour intensities poorly. That ranking, established by Cleveland and McGill in
                    the 1980s, explains why a sorted bar chart beats a pie chart or a bubble chart for most
                    comparisons.</p>
                    <p>One rule is not negotiable: <b>bars must start at zero</b>, because the reader compares their
                    lengths. Line charts may use a narrower range, since the reader looks at the slope, but say so on
                    the axis.</p>
                """),
                code(
                    "python",
                    """
                    import matplotlib.pyplot as plt

                    languages = {"Python": 48, "SQL": 41, "JavaScript": 37, "R": 12, "Julia": 3}
                    names, shares = zip(*sorted(languages.items(), key=lambda item: item[1]))

                    fig, ax = plt.subplots(figsize=(7, 3.5))
                    ax.barh(names, shares, color="#2563eb")
                    ax.set_xlabel("Share of analysts using it weekly, %")
                    ax.set_xlim(0, 60)
                    fig.tight_layout()
                    fig.savefig("languages.png", dpi=150)
                    """,
                ),
            ],
        ),
        Lesson(
            title="Color, labels and clutter",
            minutes=25,
            body=[
                text("""
                    <p>Every mark that does not carry information competes for attention with the marks that do.
                    Edward Tufte called the ink that shows data the <b>data-ink</b>; your job is to make it the
                    largest share of the chart. In practice that means removing:</p>
                    <ul>
                    <li>heavy grid lines (keep light ones, or none);</li>
                    <li>borders, backgrounds and 3D effects;</li>
                    <li>legends, when you can label the lines or bars directly;</li>
                    <li>decimal places nobody needs.</li>
                    </ul>
                """),
                heading("Using color with intent"),
                text("""
                    <p>Colour is the strongest tool for directing attention, so spend it carefully. A reliable pattern
                    is to draw everything in grey and give a single strong colour to the series the reader must look
                    at. Use a <b>sequential</b> palette (light to dark) for ordered values, a <b>diverging</b> palette
                    for values around a midpoint such as zero, and a <b>categorical</b> palette of no more than six or
                    seven distinct hues for categories.</p>
                    <p>About one man in twelve has some form of colour blindness, most often red–green. Avoid
                    encoding meaning in red versus green alone, and check your charts with a simulator or with
                    colour-blind-safe palettes such as <i>viridis</i>.</p>
                """),
                heading("Titles that state the finding"),
                text("""
                    <p>Replace descriptive titles like “Revenue by quarter, 2023–2024” with titles that state the
                    message: “Revenue grew in every quarter except Q3”. The axis labels and a subtitle can carry the
                    description. Readers who only glance at the chart still leave with the point.</p>
                    <p><b>Exercise:</b> take one of your own charts, remove five things, add a title that states the finding, and compare the before and after with a colleague.</p>
                """),
            ],
        ),
        Lesson(
            title="Telling a story with data",
            minutes=20,
            body=[
                text("""
                    <p>A single chart answers a question; a sequence of charts makes an argument. Structure a data
                    presentation like a short story: the <b>context</b> (what we measured and why it matters), the
                    <b>complication</b> (what changed or surprised us), and the <b>resolution</b> (what we should do
                    about it).</p>
                    <p>Show one idea per chart, and build up complexity gradually: first the overall trend, then the
                    breakdown that explains it. Annotate the chart where the important things happen, such as the
                    launch of a campaign or a change of method, instead of explaining it out loud.</p>
                """),
                heading("Honesty"),
                text("""
                    <p>Charts persuade, which is why they must be honest. Watch out for truncated bar axes, dual axes
                    that invent correlations, cherry-picked time ranges, and per-capita comparisons that are
                    missing. When the data are uncertain, show it: error bars, ranges or a shaded band.</p>
                """),
                heading("A checklist before you publish"),
                text("""
                    <ol>
                    <li>Can I state the message of the chart in one sentence, and does the title say it?</li>
                    <li>Is the chart type right for the question?</li>
                    <li>Do bars start at zero, and are scales and units labelled?</li>
                    <li>Is colour used for emphasis, and readable for colour-blind people?</li>
                    <li>Is every element necessary?</li>
                    <li>Would the chart still be honest if the numbers went the other way?</li>
                    </ol>
                """),
            ],
        ),
    ],
)
