"""Keep the build's log to what a reader needs: no banners that look like errors.

jieba (Material's Chinese search splits words with it) logs four DEBUG lines to stderr
each time it loads its dictionary, and imports setuptools' deprecated ``pkg_resources``,
which warns. Neither says anything about the site; mkdocs' own messages and real warnings
(``--strict`` fails on those) still show.
"""

import logging
import warnings

# jieba sets its logger to DEBUG when imported, so a level set here would be undone; a
# filter on the logger stays. Its warnings and errors still pass.
logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
