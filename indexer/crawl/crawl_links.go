package crawl

import (
	"net/url"
	"path"
	"strings"
)

// notDocument are extensions of files the crawler never asks for.
var notDocument = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".webp": true, ".ico": true,
	".bmp": true, ".tif": true, ".tiff": true, ".css": true, ".js": true, ".mjs": true, ".json": true,
	".xml": true, ".rss": true, ".atom": true, ".zip": true, ".gz": true, ".tgz": true, ".bz2": true,
	".xz": true, ".7z": true, ".rar": true, ".tar": true, ".mp3": true, ".mp4": true, ".m4a": true,
	".wav": true, ".ogg": true, ".webm": true, ".avi": true, ".mov": true, ".mkv": true, ".woff": true,
	".woff2": true, ".ttf": true, ".otf": true, ".eot": true, ".exe": true, ".dmg": true, ".iso": true,
	".apk": true, ".msi": true, ".bin": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
	".ppt": true, ".pptx": true, ".odt": true, ".ods": true, ".epub": true, ".csv": true,
}

// worthFetching reports whether a link may lead to a document the crawler
// reads, judging by its extension.
func worthFetching(u *url.URL) bool {
	return !notDocument[strings.ToLower(path.Ext(u.Path))]
}
