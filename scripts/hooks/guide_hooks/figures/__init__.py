"""The figures hook: trial numbers from data/outcomes.yml, printed in text and drawn as inline SVG.

``data``    the model of data/outcomes.yml and its validation (file:line:col errors)
``words``   the numbers and comparisons in words
``draw``    the SVG drawings
``render``  the Markdown block around each figure (caption, citations, data table)
``hook``    the MkDocs events
"""
