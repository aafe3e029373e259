/**
 * The page after GB/T 9704-2012 (党政机关公文格式), in PDF points. Section numbers in comments
 * refer to that standard, so a reader can check each number against it.
 */

/** Points per millimetre. */
export const MM = 72 / 25.4;
/** Points per CSS pixel (an SVG picture's intrinsic size is in px). */
export const PX = 0.75;

/** 5.1 / 5.2.1: A4 (210 x 297 mm). pdfkit's 'A4' is 595.28 x 841.89 pt. */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;

/** 5.2.1: 天头 37 mm, 订口 28 mm; so the text area (版心) is 156 x 225 mm. */
export const MARGINS = { top: 37 * MM, left: 28 * MM, right: 26 * MM, bottom: 35 * MM };
export const TEXT_WIDTH = 156 * MM;
export const TEXT_HEIGHT = 225 * MM;
export const TEXT_LEFT = MARGINS.left;
export const TEXT_RIGHT = MARGINS.left + TEXT_WIDTH;
export const TEXT_TOP = MARGINS.top;
export const TEXT_BOTTOM = MARGINS.top + TEXT_HEIGHT;

/** Chinese type sizes (字号) in points. */
export const SIZE = { chu: 42, er: 22, san: 16, si: 14, xiaosi: 12, wu: 10.5, xiaowu: 9 } as const;

/** 5.2.2 / 7.3: body text in 3号, 22 lines a page, 28 characters a line. */
export const BODY_SIZE = SIZE.san;
export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;
/** One line slot (行距): the text area's height over 22 lines, about 29 pt. */
export const PITCH = TEXT_HEIGHT / LINES_PER_PAGE;
/**
 * 28 characters of 16 pt are 448 pt, 6 pt wider than the 442 pt text area (the standard's 3号仿宋
 * is set on a character grid slightly narrower than the em). A character spacing of -0.22 pt lets
 * 28 full-width characters fit, as the standard asks.
 */
export const BODY_CHAR_SPACING = TEXT_WIDTH / CHARS_PER_LINE - BODY_SIZE - 0.01;

/** 7.2.3: the organ's marker: red, centred, top edge 35 mm below the text area's top. */
export const MARKER_OFFSET = 35 * MM;
/** Its size is left to the organ by the standard; we take 初号 at most, smaller if the name is long. */
export const MARKER_MAX_SIZE = SIZE.chu;
/** Below 2号 the marker no longer reads as one: a longer name wraps instead. */
export const MARKER_MIN_SIZE = SIZE.er;
/** 7.2.3 / 7.2.6: red for the marker and the separator; CMYK 0/100/100/0 as printers render it. */
export const RED = '#e60012';
/** 7.2.6: the separator sits 4 mm under the document number, as wide as the text area. */
export const SEPARATOR_GAP = 4 * MM;
export const SEPARATOR_WIDTH = 1;

/** 7.3.1: titles in 2号. */
export const TITLE_SIZE = SIZE.er;
/** Tables: 小四, a little smaller than the body so that forms with several columns still fit. */
export const TABLE_SIZE = SIZE.xiaosi;
export const TABLE_PADDING = 4;
export const TABLE_LINE_GAP = 3;
export const TABLE_RULE = 0.5;
/** Space above and below a table: a third of a line, so the table stands apart from the text. */
export const TABLE_SPACE = PITCH / 3;

/** 7.5.1: page numbers in 4号, 一字线 on either side, their top 7 mm below the text area. */
export const PAGE_NUMBER_SIZE = SIZE.si;
export const PAGE_NUMBER_OFFSET = 7 * MM;

/** 7.4.2: 版记 in 4号 between rules; the outer rules 0.35 mm, the inner ones 0.25 mm. */
export const FOOTER_SIZE = SIZE.si;
export const FOOTER_RULE_OUTER = 0.35 * MM;
export const FOOTER_RULE_INNER = 0.25 * MM;

/**
 * The verify QR code: two line slots high (20.5 mm), the height of the signature and date beside
 * it, so the code costs no extra lines; at version 3-5 a module is still 0.55-0.7 mm, which any
 * phone reads. Its caption stands to its right.
 */
export const QR_SIZE = 2 * PITCH;
export const QR_CAPTION_SIZE = SIZE.wu;

/**
 * Where the em box of CJK text sits relative to its baseline (Noto Sans CJK / Source Han: the
 * ideographic em box runs from 0.88 em above the baseline to 0.12 em below). Used to place text by
 * the edges the standard measures from.
 */
export const EM_TOP = 0.88;
export const EM_BOTTOM = 0.12;
