"""One module per kind of page, each a Flask blueprint that declares its paths and renders what the
library reads: a page is (template name, context), served by `kasograph_web.documents`."""

from kasograph_web.views import compare, dataset, graphs, lists, pages, sparql, vocabulary

#: Every blueprint of the viewer. `pages` also answers any other path (the resources of the data).
BLUEPRINTS = [sparql.bp, vocabulary.bp, dataset.bp, graphs.bp, compare.bp, lists.bp, pages.bp]
