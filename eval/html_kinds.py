"""Labels for the hand-written pages of other kinds in tests/fixtures/html/ (html_pages.py merges them).

Each page was written for the HTML extraction eval in the real markup of a common kind of
site (WordPress, Sphinx with the Read the Docs theme, Substack, a university press office,
a Stack Exchange thread, a live blog, a consent overlay, AMP); every name and sentence in
them is invented. Per page: the boilerplate strings planted, and the real paragraphs (as the
page shows them) whose sentences must survive. Neither list holds text a reader could fairly
call either: image captions, a press release's media contact, comments under a Q&A post,
a post's sub-headings and code. A blog's reader comments and author box are boilerplate: the
document is the post.
"""

from __future__ import annotations

KINDS: dict[str, dict[str, list[str]]] = {
    "wordpress_blog_post.html": {
        "boilerplate": [
            "Skip to content", "Growing food on a windy hillside allotment", "About me", "Planting calendar",
            "Posted on", "Share this:", "Facebook", "Pinterest", "Like this:", "Loading...",
            "Why I ferment tomato seed before drying it", "Building a hazel bean wigwam", "In \"Seed saving\"",
            "Posted in", "Tagged", "Published by", "Maggie has gardened a council allotment",
            "View all posts by Maggie Rowntree", "Previous Post", "Lifting and curing onions in a wet August",
            "Planting garlic before the first frost", "thoughts on", "says:", "Great post, thank you!",
            "Try the fingernail test next year.", "Reply", "Leave a Reply",
            "Your email address will not be published.", "Search for:", "Recent Posts", "Archives",
            "October 2025", "Follow Blog via Email", "Enter your email address to follow this blog",
            "Proudly powered by WordPress", "Theme: Underscores by",
        ],
        "real": [
            "Saving seed from runner beans, step by step",
            "Runner beans are one of the easiest crops to save seed from, because the flowers are large and the "
            "seeds are big enough to handle one at a time.",
            "Leave a few of the best pods on the plant at the end of the season and stop picking from those plants "
            "altogether. The pods will swell, turn leathery and then go pale and papery, which usually takes about "
            "six weeks after the last good harvest.",
            "If a hard frost is forecast before the pods have dried, pull up the whole plant and hang it upside down "
            "in a shed or greenhouse. The seeds keep ripening from the sugars left in the stems.",
            "Shell the beans when the pods crackle, and spread them on a tray indoors for another two weeks. A seed "
            "that dents when you press a fingernail into it is not dry enough to store.",
            "Runner beans are pollinated by bumblebees, so two varieties grown side by side will cross. I grow only "
            "one variety each year, or I keep the seed plants at least fifty metres from any other runner beans on "
            "the site.",
            "Stored in a paper envelope in a cool, dry drawer, the seed stays viable for about three years.",
        ],
    },
    "sphinx_docs_page.html": {
        "boilerplate": [
            "User guide", "Installation", "Harmonic constituents", "Exporting predictions",
            "API reference", "Changelog", "Edit on GitHub",
            "You are not reading the most recent version of this documentation.", "is the latest version available",
            "¶", "tide stations¶", "Station files¶", "Datum offsets¶", "Previous", "Next",
            "Copyright 2024, the tidewater developers.", "Built with Sphinx", "provided by Read the Docs",
            "Read the Docs", "Versions", "Downloads",
        ],
        "real": [
            "Configuring tide stations",
            "Every prediction is made for a station, a named place with a set of harmonic constants and a datum.",
            "A station is described by a TOML file in the stations/ folder of your project. The file name, without "
            "its extension, becomes the station’s identifier.",
            "name = \"Port Ellery\"",
            "Station files are read once, when tidewater.load() is first called, and a file with an unknown key is "
            "refused with the key’s name and line.",
            "Keep the station files under version control, so that a change to a constant can be traced to the "
            "survey that justified it.",
            "Heights are predicted above chart datum unless the station sets datum_offset, in metres. A positive "
            "offset raises every predicted height by that amount.",
            "Offsets from different surveys should not be mixed in one station file.",
        ],
    },
    "substack_newsletter.html": {
        "boilerplate": [
            "Sign in", "Restack", "Share", "Mar 18, 2025",
            "Slack Water is a reader-supported publication.", "consider becoming a free or paid subscriber",
            "Thanks for reading Slack Water!", "This post is public so feel free to share it.",
            "Keep reading with a 7-day free trial", "Subscribe to Slack Water to keep reading this post",
            "Start trial", "Already a paid subscriber?", "Ready for more?", "© 2025 Anna Ruiz", "Collection notice",
            "Start writing", "Get the app", "is the home for great culture",
        ],
        "real": [
            "The ferry that nobody wanted to cancel",
            "Every winter since 2019 the county has proposed to close the Ardmore ferry, and every spring the "
            "proposal has quietly disappeared from the final budget.",
            "The crossing takes twelve minutes and carries about 180 people on a weekday, most of them nurses and "
            "care workers going to the hospital on the far bank. By road the same journey is 34 kilometres.",
            "I spent a week reading the committee papers. The savings on paper are real: the ferry costs £410,000 a "
            "year to run and brings in £95,000 in fares.",
            "What the papers leave out is the cost of the alternative. A replacement minibus would need two drivers "
            "on each shift, and the hospital told the committee in 2022 that it expected to lose staff if the "
            "crossing went.",
            "So the ferry survives, not because anyone argues for it, but because nobody wants to be the councillor "
            "who closed it.",
        ],
    },
    "university_press_release.html": {
        "boilerplate": [
            "Skip to main content", "Campus buildings are closed on 25 and 26 December.", "See opening hours",
            "Current students", "Alumni", "Undergraduate", "Postgraduate", "About the University",
            "News and events", "Press releases", "Share this page", "Share on Facebook", "Share on LinkedIn",
            "Share by email", "Related news", "Seagrass meadows return to the Carrow estuary",
            "New flood model adopted by the county council", "Switchboard: +44 1632 960 000",
            "Accessibility statement", "Freedom of information", "Modern slavery statement", "Privacy notice",
            "Cookie settings", "Follow us on X", "Instagram", "is a registered charity, number 1234567",
        ],
        "real": [
            "Marsh sediment study finds carbon stored for 4,000 years",
            "Salt marshes on the Carrow estuary have kept carbon locked in their mud for at least four thousand "
            "years, according to a study led by researchers at the University of Carrow.",
            "The team drilled 46 sediment cores across three marshes and dated the layers using radiocarbon and lead "
            "isotopes. The oldest carbon-rich layer lay 3.2 metres below the surface.",
            "“We expected the deepest carbon to be a few centuries old,” said Dr Imogen Hale, who led the fieldwork. "
            "“Finding it intact after four millennia changes how long we think these marshes can hold it.”",
            "The study, published in the journal Estuarine Records, also found that marshes grazed by sheep stored "
            "about a fifth less carbon near the surface than ungrazed ones.",
            "The research was funded by the Natural Environment Research Council.",
            "The paper, “Four millennia of carbon burial in a temperate salt marsh”, is available on request.",
        ],
    },
    "qa_forum_thread.html": {
        "boilerplate": [
            "Log in", "Sign up", "Questions", "Tags", "Users", "Unanswered", "Ask Question", "Asked", "Modified",
            "1 year, 2 months ago", "Viewed", "12k times", "31", "44", "Save this question.",
            "Show activity on this post.", "bread", "sourdough", "fermentation", "Improve this question", "Follow",
            "asked Jan 4, 2025 at 9:15", "Marta K.", "1,204", "Add a comment", "2 Answers", "Sorted by:",
            "Highest score (default)", "Improve this answer", "answered Jan 4, 2025 at 11:30", "Hugh Baines",
            "48.2k", "Not the answer you're looking for?", "ask your own question", "The Overflow Blog",
            "How we cut build times by half", "Featured on Meta", "Linked",
            "How often should I feed a sourdough starter?", "Is it safe to bake with a starter that has pink streaks?",
            "Hot Network Questions", "Why do recipes say to rest a steak after cooking?", "Tour", "Site design / logo",
            "By clicking “Accept all cookies”", "Necessary cookies only", "Customize settings",
        ],
        "real": [
            "Why does my sourdough starter smell of acetone?",
            "I have kept a rye starter for about three months. After I came back from a long weekend it smelled "
            "strongly of nail polish remover, and there was a grey liquid on top.",
            "Is the starter ruined, or can it be saved?",
            "Your starter is not ruined, it is hungry. When the yeast and bacteria run out of flour they produce "
            "more ethyl acetate, and that is the solvent smell you noticed.",
            "Pour off the grey liquid, which is called hooch, and feed the starter twice a day for two days. "
            "Discard all but a tablespoon before each feed, so that the fresh flour outweighs the old culture.",
            "If it smells sour and yeasty again after the second day, it is ready to bake with.",
            "A rye starter kept at a warm room temperature can need feeding every twelve hours. If you go away "
            "again, keep it in the fridge, where it will last a week without food.",
        ],
    },
    "news_liveblog.html": {
        "boilerplate": [
            "It’s your choice", "We use cookies and similar technologies", "Yes, I’m happy",
            "Manage or reject cookies", "Skip to main content", "Subscribe from £1 a week", "UK news", "World",
            "Business", "Sport", "Culture", "Live", "Key events", "Show key events only",
            "Please turn on JavaScript to use this feature", "Live feed", "Older posts", "Updated at 10.49 GMT",
            "Share", "Advertisement", "Back to top", "Most viewed",
            "Energy bills to rise by 6% in January, regulator confirms", "Late penalty settles the West Riding derby",
            "The best new crime novels of the autumn", "there is a good reason why you should support the Courier",
            "we have no billionaire owner", "Support the Courier", "Complaints & corrections", "Cookie policy",
            "All rights reserved.",
        ],
        "real": [
            "Storm Edda live: flood barrier closed as river peaks in Hallam",
            "The city council has closed the Hallam flood barrier for the first time since it was completed in 2017. "
            "The river reached 4.1 metres at the Crown Point gauge at 10am, a few centimetres below the 2015 record.",
            "Engineers said the barrier could hold back water for at least three days.",
            "About 400 homes in Kirkstall were evacuated overnight, and a rest centre has opened at the Abbey leisure "
            "centre. Residents who cannot return home are asked to register there.",
            "Northern has suspended trains between Hallam and Skipton because water is over the tracks near Shipley. "
            "Replacement buses are running every 30 minutes.",
        ],
    },
    "consent_overlay_page.html": {
        "boilerplate": [
            "This website works best with JavaScript enabled.", "We value your privacy",
            "We and our partners use cookies", "Privacy Preference Centre", "Cookie Policy", "Manage preferences",
            "Reject all", "Accept all cookies", "Manage Consent Preferences", "Strictly Necessary Cookies",
            "Always Active", "These cookies are necessary for the website to function", "Targeting Cookies",
            "Confirm my choices", "Before you go…", "in your inbox every Friday", "Sign me up",
            "By signing up you agree to our terms", "using an ad blocker", "Walks", "Wildlife", "Shop",
            "Words by Catriona Flett", "Topics:", "You may also like", "Ten coastal walks on Unst",
            "Where to see puffins this summer", "is published by Harbourside Media Ltd", "Advertise with us",
            "Cookie settings",
        ],
        "real": [
            "The last lighthouse keepers of Fair Isle",
            "When the Northern Lighthouse Board automated Fair Isle South in March 1998, it was the last manned "
            "lighthouse in Scotland. Two keepers, Angus Hutchison and Neil Thomson, locked the door for the final "
            "time and walked down to the harbour.",
            "For almost a century the light had been kept by three men working four-hour watches, winding the "
            "clockwork that turned the lens and trimming the wicks of the paraffin burner.",
            "“You never slept through a whole night in twenty years,” Hutchison said later. “Even on leave you woke "
            "at the change of watch.”",
            "The islanders took the automation hard. The keepers’ families had made up a fifth of the school roll, "
            "and the shop lost its best customers overnight.",
            "Today the keepers’ cottages are let to visiting birdwatchers, who come in autumn for the migrants that "
            "make landfall on the island after a north-easterly gale.",
        ],
    },
    "amp_article.html": {
        "boilerplate": [
            "We use cookies to give you the best experience", "Accept", "Reject", "Close menu", "Local news",
            "What's on", "Property", "Family notices", "Community Reporter", "Advertisement", "Ad failed to load",
            "Read more", "Hawes pub saved by 600 shareholders", "Dales bus route to run on Sundays again",
            "View full site", "Part of Pennine Press.", "Terms of use", "Manage cookie preferences",
        ],
        "real": [
            "Village shop reopens as community co-operative after two-year campaign",
            "The only shop in Askrigg reopened on Saturday, two years after its owners retired, now run as a "
            "co-operative owned by 212 villagers.",
            "Members bought shares at £50 each and raised £96,000, enough to buy the building and refit the shop "
            "with a post office counter.",
            "“People said a village this size could not keep a shop open, and we wanted to prove them wrong,” said "
            "Jean Metcalfe, who chairs the co-operative.",
            "Three part-time staff are paid, and about forty volunteers cover the rest of the rota. The shop opens "
            "from 8am to 6pm every day except Christmas Day.",
        ],
    },
}
