// Runs before the page is drawn: tells the style sheet that scripts work, so the phone menu can fold away.
document.documentElement.classList.add("js");
