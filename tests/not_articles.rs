//! Files that are not articles: corpus documents are skipped and reported, ignore files are
//! honoured, and Markdown front matter and heading marks stay out of titles.

mod common;

use common::{stderr, Fixture};

#[test]
fn documents_ignore_files_and_markdown_titles() {
    let f = Fixture::empty();
    f.write(
        "world/ferry.md",
        "---\nlayout: post\ntags: [ferry]\n---\n\n# Ferry fares rise in spring\n\nFerry fares will rise by 5% in spring.\n",
    );
    f.write("README.md", "# About this corpus\n\nScraped in 2020.\n");
    f.write("PROVENANCE.txt", "Where the files come from\n\nA crawl.\n");
    f.write("world/LICENSE.md", "CC BY 4.0\n\nAttribution.\n");
    f.write(".newsdexignore", "drafts/\n");
    f.write("drafts/ferry-draft.txt", "Draft\n\nFerry draft.\n");
    f.write(".gitignore", "*.tmp.txt\n");
    f.write("world/ferry.tmp.txt", "Temp\n\nFerry temp.\n");
    let s = f.index_json();
    assert_eq!(s["articles_in_index"], 1, "{s}");
    let skipped: Vec<&str> = s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        ["PROVENANCE.txt", "README.md", "world/LICENSE.md"],
        "{s}"
    );
    let out = f.run(&["index", f.corpus_dir().to_str().unwrap()]);
    assert!(
        stderr(&out).contains("README.md: skipped: not an article"),
        "{}",
        stderr(&out)
    );
    let (hits, _, _) = f.search_json("ferry", &[]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["path"], "world/ferry.md");
    assert_eq!(hits[0]["title"], "Ferry fares rise in spring");
}
