import { Document, Packer, Paragraph, TextRun } from "docx";

/** A .docx with one Word paragraph per line of the text. */
export async function docxOf(text: string): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: text.split("\n").map((line) => new Paragraph({ children: [new TextRun(line)] })),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
