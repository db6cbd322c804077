import SkillsDomain

/// An occupation of 国家职业分类大典 with the words a course title is made of.
struct Occupation: Sendable {
    let code: String
    let name: String
}

/// One seed plan's territory: the bureau's code (the pack's jurisdiction), the districts its workers live in, and
/// the occupations its industries train for.
struct Plan: Sendable {
    /// Short key used in event ids and organisation codes: sy, wh, yq, by, zz.
    let key: String
    let bureau: String
    let city: String
    /// Worker jurisdictions (6- or 9-digit GB/T 2260 codes inside `bureau`).
    let districts: [String]
    /// Share of the province's workers, in percent.
    let share: Int
    let occupations: [Occupation]
    let institutionNames: [String]
}

/// The synthetic province's fixed tables: the five seed plans of DOMAIN.md with the districts and occupations the
/// samples use, so that the six reference packs in Samples/policies apply to the generated workers.
enum ProvinceCatalogue {
    static let lathe = Occupation(code: "6-18-01-01", name: "车工")
    static let milling = Occupation(code: "6-18-01-02", name: "铣工")
    static let welder = Occupation(code: "6-18-02-04", name: "焊工")
    static let electrician = Occupation(code: "6-31-01-03", name: "电工")
    static let fitter = Occupation(code: "6-31-01-02", name: "机修钳工")
    static let cook = Occupation(code: "4-03-02-01", name: "中式烹调师")
    static let pastry = Occupation(code: "4-03-02-02", name: "中式面点师")
    static let carer = Occupation(code: "4-10-01-05", name: "养老护理员")
    static let nanny = Occupation(code: "4-10-01-02", name: "育婴员")
    static let housekeeper = Occupation(code: "4-10-01-06", name: "家政服务员")
    static let mechanic = Occupation(code: "4-12-01-01", name: "汽车维修工")
    static let ecommerce = Occupation(code: "4-01-02-02", name: "电子商务师")

    static let plans: [Plan] = [
        Plan(key: "sy", bureau: "420300", city: "十堰市", districts: ["420302", "420303", "420304", "420381"], share: 30,
             occupations: [lathe, milling, welder, electrician, fitter, mechanic],
             institutionNames: ["十堰市技师学院", "茅箭区众诚职业培训学校", "十堰市职业技能鉴定指导中心"]),
        Plan(key: "wh", bureau: "510107", city: "成都市武侯区", districts: ["510107"], share: 15,
             occupations: [cook, pastry, carer, electrician, ecommerce],
             institutionNames: ["匠心职业技能培训学校", "成都技师学院", "成都市职业技能鉴定指导中心"]),
        Plan(key: "yq", bureau: "330382", city: "乐清市", districts: ["330382115", "330382"], share: 15,
             occupations: [electrician, welder, lathe, mechanic],
             institutionNames: ["南岳镇成人文化技术学校", "乐清市职业技能鉴定中心"]),
        Plan(key: "by", bureau: "620400", city: "白银市", districts: ["620402", "620403", "620421", "620422", "620423"], share: 15,
             occupations: [welder, electrician, fitter, lathe],
             institutionNames: ["白银矿冶职业技术学院"]),
        Plan(key: "zz", bureau: "410100", city: "郑州市", districts: ["410102", "410103", "410104", "410105", "410108"], share: 25,
             occupations: [lathe, electrician, mechanic, nanny, housekeeper, ecommerce],
             institutionNames: ["郑州市技师学院", "郑州市职业技能鉴定指导中心"]),
    ]

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢").map(String.init)
    static let givenCharacters = Array("建国秀英伟洋强芳军敏静丽勇艳杰娟涛明超霞平刚桂兰志华玉红文斌波海燕婷雪佳晓亮磊鹏飞丹琳浩宇欣怡凯峰颖晨辉").map(String.init)

    /// Levels of the certificates people actually obtain, with their weights when not on the technician track.
    static let entryLevels: [SkillLevel] = [.junior, .intermediate, .senior]
    static let honourTitles = ["劳动模范", "技术能手", "五一劳动奖章", "首席技师工作室领衔人"]
    static let competitionTiers = ["enterprise", "district", "city", "province", "national"]
}
