// Replaces eleventy-base-blog's _data/metadata.js (build.sh copies this over a fresh copy of the starter).
export default {
	title: "Van Light",
	url: "https://vanlight.example/",
	language: "en",
	description: "Recaps of radio dramas, bottle episodes and other small rooms.",
	author: {
		name: "Lena Marsh",
		email: "lena@vanlight.example",
		url: "https://vanlight.example/about-me/"
	}
}
